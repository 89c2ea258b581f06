package dev.tuneforge.app.export;

import dev.tuneforge.app.tenancy.TenantContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * A download's answer, for the pages' links and the API alike: the parts streamed as one zip or a
 * file under its own name, and each download that is answered published for the audit log.
 */
@Component
class ExportResponses {
  private final ApplicationEventPublisher events;

  ExportResponses(ApplicationEventPublisher events) {
    this.events = events;
  }

  /** Publishes a download the caller is answered with, for the audit log. */
  <T> ResponseEntity<T> downloaded(UUID jobId, String file, ResponseEntity<T> answer) {
    if (answer.getStatusCode().is2xxSuccessful()) {
      TenantContext.currentTenant()
          .ifPresent(tenant -> events.publishEvent(new ArtifactDownloaded(tenant, jobId, file)));
    }
    return answer;
  }

  /**
   * A file under its own name, so that the Modelfile's {@code FROM ./model-q8_0.gguf} finds the
   * GGUF downloaded beside it.
   */
  static ResponseEntity<StreamingResponseBody> file(Optional<ZipPart> part, String contentType) {
    if (part.isEmpty()) {
      return ResponseEntity.notFound().build();
    }
    StreamingResponseBody body =
        out -> {
          try (InputStream in = part.get().open()) {
            in.transferTo(out);
          }
        };
    return ResponseEntity.ok()
        .header(
            HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + part.get().name() + "\"")
        .contentType(MediaType.parseMediaType(contentType))
        .body(body);
  }

  static ResponseEntity<StreamingResponseBody> zip(Optional<List<ZipPart>> parts, String fileName) {
    if (parts.isEmpty()) {
      return ResponseEntity.notFound().build();
    }
    StreamingResponseBody body = out -> write(parts.get(), out);
    return ResponseEntity.ok()
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName + "\"")
        .contentType(MediaType.parseMediaType("application/zip"))
        .body(body);
  }

  /** Writes the parts one by one, each closed before the next opens, whatever the browser does. */
  private static void write(List<ZipPart> parts, OutputStream out) throws IOException {
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (ZipPart part : parts) {
        zip.putNextEntry(new ZipEntry(part.name()));
        try (InputStream in = part.open()) {
          in.transferTo(zip);
        }
        zip.closeEntry();
      }
    }
  }
}
