package dev.tuneforge.app.export;

import dev.tuneforge.protocol.JobFolder;
import java.util.UUID;
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
  private final ExportResponses responses;

  ExportDownloadController(ExportService exports, ExportResponses responses) {
    this.exports = exports;
    this.responses = responses;
  }

  @GetMapping("/finetunes/{jobId}/adapter.zip")
  ResponseEntity<StreamingResponseBody> adapter(@PathVariable UUID jobId) {
    return responses.downloaded(
        jobId,
        "adapter.zip",
        ExportResponses.zip(exports.adapter(jobId), "adapter-" + jobId + ".zip"));
  }

  @GetMapping("/finetunes/{jobId}/model.zip")
  ResponseEntity<StreamingResponseBody> tunedModel(@PathVariable UUID jobId) {
    return responses.downloaded(
        jobId,
        "model.zip",
        ExportResponses.zip(exports.tunedModel(jobId), "model-" + jobId + ".zip"));
  }

  @GetMapping("/finetunes/{jobId}/merged.zip")
  ResponseEntity<StreamingResponseBody> mergedModel(@PathVariable UUID jobId) {
    return responses.downloaded(
        jobId,
        "merged.zip",
        ExportResponses.zip(exports.mergedModel(jobId), "merged-" + jobId + ".zip"));
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
    return responses.downloaded(
        jobId, name, ExportResponses.file(exports.localRuntimeFile(jobId, name), contentType));
  }
}
