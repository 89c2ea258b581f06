package dev.tuneforge.app.export;

import dev.tuneforge.app.apikey.ApiCaller;
import dev.tuneforge.app.apikey.ApiConflict;
import dev.tuneforge.app.apikey.Download;
import dev.tuneforge.app.apikey.PublicApi;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.finetune.JobStatus;
import dev.tuneforge.protocol.JobFolder;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * A fine-tune's downloads for scripts, streamed as the job page's links stream them and audited
 * alike: the adapter, a full fine-tune's model, the merged model, its GGUF files and Modelfile. A
 * download that is not there yet answers 409 saying how to get it (a merge is requested with {@code
 * POST .../exports}, cancelled with {@code POST .../exports/cancel}); another tenant's job answers
 * 404, like one that does not exist.
 */
@RestController
@PublicApi
@Tag(name = "Downloads", description = "Adapters, tuned and merged models, GGUF files")
class ExportApiController {
  static final String NOT_READY = "export_not_ready";
  static final String NOT_CANCELLABLE = "export_not_cancellable";

  private final FineTuneService fineTunes;
  private final ExportService exports;
  private final MergedExportService merges;
  private final ExportResponses responses;

  ExportApiController(
      FineTuneService fineTunes,
      ExportService exports,
      MergedExportService merges,
      ExportResponses responses) {
    this.fineTunes = fineTunes;
    this.exports = exports;
    this.merges = merges;
    this.responses = responses;
  }

  /**
   * The merged export's state and the local-runtime files it wrote ({@code none}: not asked);
   * {@code cancelRequested} while a running merge's node is being stopped.
   */
  record ExportsJson(
      UUID jobId,
      String merged,
      int done,
      int total,
      @Nullable String message,
      @Nullable String error,
      @Nullable Instant requestedAt,
      boolean cancelRequested,
      List<String> files) {}

  @GetMapping("/api/fine-tunes/{jobId}/adapter")
  @Download("application/zip")
  @Operation(summary = "The LoRA adapter (PEFT) with the base's tokenizer files and a model card")
  ResponseEntity<StreamingResponseBody> adapter(@PathVariable UUID jobId) {
    FineTuneJob job = succeeded(jobId);
    if (job.isFullFineTuning()) {
      throw new ApiConflict(
          NOT_READY,
          "A full fine-tune has no adapter: download its model from /api/fine-tunes/"
              + jobId
              + "/model");
    }
    return responses.downloaded(
        jobId,
        "adapter.zip",
        ExportResponses.zip(ready(exports.adapter(jobId)), "adapter-" + jobId + ".zip"));
  }

  @GetMapping("/api/fine-tunes/{jobId}/model")
  @Download("application/zip")
  @Operation(summary = "A full fine-tune's model with the base's tokenizer files and a model card")
  ResponseEntity<StreamingResponseBody> fullModel(@PathVariable UUID jobId) {
    FineTuneJob job = succeeded(jobId);
    if (!job.isFullFineTuning()) {
      throw new ApiConflict(
          NOT_READY,
          "A LoRA fine-tune's model is its adapter (/api/fine-tunes/"
              + jobId
              + "/adapter) or its merged model (/api/fine-tunes/"
              + jobId
              + "/merged)");
    }
    return responses.downloaded(
        jobId,
        "model.zip",
        ExportResponses.zip(ready(exports.tunedModel(jobId)), "model-" + jobId + ".zip"));
  }

  @GetMapping("/api/fine-tunes/{jobId}/merged")
  @Download("application/zip")
  @Operation(summary = "The adapter merged into its base, once a merged export succeeded")
  ResponseEntity<StreamingResponseBody> mergedModel(@PathVariable UUID jobId) {
    succeeded(jobId);
    return responses.downloaded(
        jobId,
        "merged.zip",
        ExportResponses.zip(merged(jobId, exports.mergedModel(jobId)), "merged-" + jobId + ".zip"));
  }

  @GetMapping("/api/fine-tunes/{jobId}/gguf")
  @Download("application/octet-stream")
  @Operation(
      summary = "The merged model as one GGUF file for llama.cpp",
      description = "type: a quantisation the merge wrote, such as q8_0 (the default) or f16")
  ResponseEntity<StreamingResponseBody> gguf(
      @PathVariable UUID jobId, @RequestParam(defaultValue = "q8_0") String type) {
    String file = "model-" + type.strip().toLowerCase(Locale.ROOT) + ".gguf";
    if (!JobFolder.LOCAL_RUNTIME_FILES.contains(file)) {
      throw new IllegalArgumentException(
          "type is one of "
              + JobFolder.LOCAL_RUNTIME_FILES.stream()
                  .filter(f -> f.endsWith(".gguf"))
                  .map(f -> f.substring("model-".length(), f.length() - ".gguf".length()))
                  .toList());
    }
    return localRuntimeFile(jobId, file, "application/octet-stream");
  }

  @GetMapping("/api/fine-tunes/{jobId}/modelfile")
  @Download("text/plain")
  @Operation(summary = "An Ollama Modelfile for the Q8_0 GGUF downloaded beside it")
  ResponseEntity<StreamingResponseBody> modelfile(@PathVariable UUID jobId) {
    return localRuntimeFile(jobId, JobFolder.MODELFILE, "text/plain;charset=UTF-8");
  }

  @GetMapping("/api/fine-tunes/{jobId}/exports")
  @Operation(summary = "The merged export's state and the files it wrote")
  ExportsJson exportState(@PathVariable UUID jobId) {
    job(jobId);
    return exportsJson(jobId);
  }

  @PostMapping("/api/fine-tunes/{jobId}/exports")
  @Operation(
      summary = "Requests the merged export (merged model, GGUF, Modelfile) of a LoRA fine-tune",
      description =
          "As the job page's Export merged model: queued for the next free training node; one"
              + " already queued, running or done is answered as it is, a failed one starts again")
  ResponseEntity<ExportsJson> requestExport(@PathVariable UUID jobId) {
    job(jobId);
    merges.start(jobId);
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(exportsJson(jobId));
  }

  @PostMapping("/api/fine-tunes/{jobId}/exports/cancel")
  @Operation(
      summary = "Cancels the merged export of a fine-tune",
      description =
          "As the job page's Cancel merge: a queued merge ends cancelled at once; a running one"
              + " stops on its training node before it uploads, and ends cancelled with whatever it"
              + " uploaded removed (merged shows running until then). 409 export_not_cancellable"
              + " when no merge is queued or running")
  ResponseEntity<ExportsJson> cancelExport(@PathVariable UUID jobId) {
    job(jobId);
    try {
      merges.cancel(jobId);
    } catch (IllegalStateException nothing) {
      throw new ApiConflict(NOT_CANCELLABLE, nothing.getMessage());
    }
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(exportsJson(jobId));
  }

  private ExportsJson exportsJson(UUID jobId) {
    Optional<MergedExport> merge = merges.find(jobId);
    return new ExportsJson(
        jobId,
        merge.map(MergedExport::getStatus).orElse("none"),
        merge.map(MergedExport::getDone).orElse(0),
        merge.map(MergedExport::getTotal).orElse(0),
        merge.map(MergedExport::getMessage).orElse(null),
        merge.map(MergedExport::getError).orElse(null),
        merge.map(MergedExport::getCreatedAt).orElse(null),
        merge.map(MergedExport::isCancelRequested).orElse(false),
        merges.localRuntimeFiles(jobId));
  }

  private ResponseEntity<StreamingResponseBody> localRuntimeFile(
      UUID jobId, String file, String contentType) {
    succeeded(jobId);
    Optional<ZipPart> part = exports.localRuntimeFile(jobId, file);
    if (part.isEmpty() && !merges.localRuntimeFiles(jobId).isEmpty()) {
      throw new NoSuchElementException("The merged export wrote no " + file);
    }
    return responses.downloaded(
        jobId, file, ExportResponses.file(merged(jobId, part), contentType));
  }

  /** The download once the merge succeeded; 409 saying how to get there otherwise. */
  private <T> Optional<T> merged(UUID jobId, Optional<T> download) {
    if (download.isPresent()) {
      return download;
    }
    String state = merges.find(jobId).map(MergedExport::getStatus).orElse("none");
    throw new ApiConflict(
        NOT_READY,
        switch (state) {
          case "none" ->
              "No merged export yet: request one with POST /api/fine-tunes/" + jobId + "/exports";
          case MergedExport.FAILED, MergedExport.CANCELLED ->
              "The merged export "
                  + (MergedExport.FAILED.equals(state) ? "failed" : "was cancelled")
                  + "; request it again with POST /api/fine-tunes/"
                  + jobId
                  + "/exports";
          default ->
              "The merged export is "
                  + state
                  + "; GET /api/fine-tunes/"
                  + jobId
                  + "/exports shows its progress";
        });
  }

  private static <T> Optional<T> ready(Optional<T> download) {
    if (download.isEmpty()) {
      throw new ApiConflict(NOT_READY, "The fine-tune's files are not in storage");
    }
    return download;
  }

  private FineTuneJob succeeded(UUID jobId) {
    FineTuneJob job = job(jobId);
    if (job.getStatus() != JobStatus.SUCCEEDED) {
      throw new ApiConflict(
          NOT_READY,
          "The fine-tune is "
              + job.getStatus().wire()
              + ": its downloads are there once it succeeded");
    }
    return job;
  }

  private FineTuneJob job(UUID jobId) {
    ApiCaller.requireTeam();
    return fineTunes.find(jobId).orElseThrow(() -> new NoSuchElementException("No such fine-tune"));
  }
}
