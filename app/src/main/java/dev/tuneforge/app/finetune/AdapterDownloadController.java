package dev.tuneforge.app.finetune;

import dev.tuneforge.app.storage.ObjectStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Streams a finished adapter as one zip in PEFT's layout, or a finished full fine-tune's model as
 * one zip in Hugging Face's layout. Another tenant's job answers 404, exactly like a job that does
 * not exist (or one of the other method).
 */
@RestController
class AdapterDownloadController {
  private final FineTuneService fineTunes;
  private final ObjectStorage storage;

  AdapterDownloadController(FineTuneService fineTunes, ObjectStorage storage) {
    this.fineTunes = fineTunes;
    this.storage = storage;
  }

  @GetMapping("/finetunes/{jobId}/adapter.zip")
  ResponseEntity<StreamingResponseBody> download(@PathVariable UUID jobId) {
    return zip(fineTunes.adapterFiles(jobId), "adapter-" + jobId + ".zip");
  }

  @GetMapping("/finetunes/{jobId}/model.zip")
  ResponseEntity<StreamingResponseBody> downloadModel(@PathVariable UUID jobId) {
    return zip(fineTunes.tunedModelFiles(jobId), "model-" + jobId + ".zip");
  }

  private ResponseEntity<StreamingResponseBody> zip(List<String> keys, String fileName) {
    if (keys.isEmpty()) {
      return ResponseEntity.notFound().build();
    }
    // The tenant's objects are opened here, on the request thread, where the caller's tenant is
    // known.
    List<InputStream> streams = keys.stream().map(storage::tenantOpen).toList();
    StreamingResponseBody body = out -> writeZip(keys, streams, out);
    return ResponseEntity.ok()
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName + "\"")
        .contentType(MediaType.parseMediaType("application/zip"))
        .body(body);
  }

  private static void writeZip(List<String> keys, List<InputStream> streams, OutputStream out)
      throws IOException {
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (int i = 0; i < keys.size(); i++) {
        String key = keys.get(i);
        zip.putNextEntry(new ZipEntry(key.substring(key.lastIndexOf('/') + 1)));
        try (InputStream in = streams.get(i)) {
          in.transferTo(zip);
        }
        zip.closeEntry();
      }
    }
  }
}
