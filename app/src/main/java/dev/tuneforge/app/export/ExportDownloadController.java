package dev.tuneforge.app.export;

import dev.tuneforge.app.tenancy.TenantContext;
import dev.tuneforge.protocol.JobFolder;
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
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Streams a finished job's export as one zip: the adapter in PEFT's layout, a full fine-tune's
 * model or a merged model in Hugging Face's layout, each with the base's tokenizer files and a
 * model card; beside a merged model, its GGUF files and Ollama Modelfile one by one. Another
 * tenant's job answers 404, exactly like a job that does not exist (or one without that export).
 */
@RestController
class ExportDownloadController {
  private final ExportService exports;
  private final ApplicationEventPublisher events;

  ExportDownloadController(ExportService exports, ApplicationEventPublisher events) {
    this.exports = exports;
    this.events = events;
  }

  @GetMapping("/finetunes/{jobId}/adapter.zip")
  ResponseEntity<StreamingResponseBody> adapter(@PathVariable UUID jobId) {
    return downloaded(
        jobId, "adapter.zip", zip(exports.adapter(jobId), "adapter-" + jobId + ".zip"));
  }

  @GetMapping("/finetunes/{jobId}/model.zip")
  ResponseEntity<StreamingResponseBody> tunedModel(@PathVariable UUID jobId) {
    return downloaded(
        jobId, "model.zip", zip(exports.tunedModel(jobId), "model-" + jobId + ".zip"));
  }

  @GetMapping("/finetunes/{jobId}/merged.zip")
  ResponseEntity<StreamingResponseBody> mergedModel(@PathVariable UUID jobId) {
    return downloaded(
        jobId, "merged.zip", zip(exports.mergedModel(jobId), "merged-" + jobId + ".zip"));
  }

  @GetMapping("/finetunes/{jobId}/" + JobFolder.GGUF_F16)
  ResponseEntity<StreamingResponseBody> ggufF16(@PathVariable UUID jobId) {
    return localRuntimeFile(jobId, JobFolder.GGUF_F16, "application/octet-stream");
  }

  @GetMapping("/finetunes/{jobId}/" + JobFolder.GGUF_Q8_0)
  ResponseEntity<StreamingResponseBody> ggufQ80(@PathVariable UUID jobId) {
    return localRuntimeFile(jobId, JobFolder.GGUF_Q8_0, "application/octet-stream");
  }

  @GetMapping("/finetunes/{jobId}/" + JobFolder.GGUF_Q4_K_M)
  ResponseEntity<StreamingResponseBody> ggufQ4KM(@PathVariable UUID jobId) {
    return localRuntimeFile(jobId, JobFolder.GGUF_Q4_K_M, "application/octet-stream");
  }

  @GetMapping("/finetunes/{jobId}/" + JobFolder.MODELFILE)
  ResponseEntity<StreamingResponseBody> modelfile(@PathVariable UUID jobId) {
    return localRuntimeFile(jobId, JobFolder.MODELFILE, "text/plain;charset=UTF-8");
  }

  private ResponseEntity<StreamingResponseBody> localRuntimeFile(
      UUID jobId, String name, String contentType) {
    return downloaded(jobId, name, file(exports.localRuntimeFile(jobId, name), contentType));
  }

  /** Publishes a download the caller is answered with, for the audit log. */
  private <T> ResponseEntity<T> downloaded(UUID jobId, String file, ResponseEntity<T> answer) {
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
  private static ResponseEntity<StreamingResponseBody> file(
      Optional<ZipPart> part, String contentType) {
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

  private static ResponseEntity<StreamingResponseBody> zip(
      Optional<List<ZipPart>> parts, String fileName) {
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
