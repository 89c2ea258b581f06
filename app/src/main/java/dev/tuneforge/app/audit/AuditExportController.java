package dev.tuneforge.app.audit;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The Audit log page's CSV export, with the page's filters: streamed to the browser as the database
 * sends the rows. Who may read what is the same as on the page.
 */
@RestController
class AuditExportController {
  static final String PATH = "/audit/export.csv";

  private final AuditLog log;

  AuditExportController(AuditLog log) {
    this.log = log;
  }

  @GetMapping(PATH)
  ResponseEntity<StreamingResponseBody> export(
      @RequestParam(required = false) @Nullable String user,
      @RequestParam(required = false) @Nullable AuditAction action,
      @RequestParam(required = false) @Nullable Instant from,
      @RequestParam(required = false) @Nullable Instant to) {
    Consumer<Writer> csv = log.csv(new AuditFilter(user, action, from, to));
    StreamingResponseBody body =
        out -> csv.accept(new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8)));
    return ResponseEntity.ok()
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"audit-log.csv\"")
        .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
        .body(body);
  }
}
