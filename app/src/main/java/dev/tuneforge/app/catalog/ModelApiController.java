package dev.tuneforge.app.catalog;

import dev.tuneforge.app.apikey.ApiErrors;
import dev.tuneforge.app.apikey.PublicApi;
import dev.tuneforge.app.storage.MultipartStorage;
import dev.tuneforge.modelformat.folder.ModelRejectedException;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The catalogue for scripts: list, look up, register a prefix, upload a folder, retire. Every route
 * answers what the service decided for the signed-in user; another tenant's model answers 404,
 * exactly like one that does not exist.
 */
@RestController
@PublicApi
@RequestMapping(ModelApiController.BASE)
class ModelApiController {
  static final String BASE = "/api/v1/models";

  private final CatalogService catalog;
  private final ModelUploads uploads;

  ModelApiController(CatalogService catalog, ModelUploads uploads) {
    this.catalog = catalog;
    this.uploads = uploads;
  }

  /** A model as the API shows it; {@code owner} is {@code platform} or the tenant's id. */
  record ModelJson(
      UUID id,
      String name,
      @Nullable String revision,
      @Nullable String displayName,
      String owner,
      String architecture,
      long parameters,
      List<String> dtypes,
      long weightBytes,
      int contextLength,
      @Nullable String licence,
      List<Integer> eosTokenIds,
      @Nullable Integer padTokenId,
      String objectPrefix,
      Instant createdAt,
      @Nullable Instant retiredAt) {

    static ModelJson of(BaseModel m) {
      return new ModelJson(
          m.getId(),
          m.getName(),
          m.getRevision(),
          m.getDisplayName(),
          m.isPlatformModel() ? "platform" : String.valueOf(m.getOwnerTenantId()),
          m.getArchitecture(),
          m.getParameters(),
          m.getDtypes(),
          m.getWeightBytes(),
          m.getContextLength(),
          m.getLicence(),
          m.getEosTokenIds(),
          m.getPadTokenId(),
          m.getObjectPrefix(),
          m.getCreatedAt(),
          m.getRetiredAt());
    }
  }

  record RegisterPrefix(
      String name,
      @Nullable String revision,
      @Nullable String displayName,
      @Nullable String description,
      String prefix) {}

  /** An upload's model and its files: sizes to start it, upload ids to complete it. */
  record UploadBody<F>(
      String name,
      @Nullable String revision,
      @Nullable String displayName,
      @Nullable String description,
      List<F> files) {

    ModelImport request() {
      return new ModelImport(name, revision, displayName, description);
    }
  }

  /** Models the caller may see; {@code retired=true} includes retired ones. */
  @GetMapping
  List<ModelJson> list(@RequestParam(defaultValue = "false") boolean retired) {
    return (retired ? catalog.list() : catalog.offered()).stream().map(ModelJson::of).toList();
  }

  @GetMapping("/{id}")
  ResponseEntity<ModelJson> find(@PathVariable UUID id) {
    return ResponseEntity.of(catalog.find(id).map(ModelJson::of));
  }

  @PostMapping
  ResponseEntity<ModelJson> register(@RequestBody RegisterPrefix body) {
    ModelImport request =
        new ModelImport(body.name(), body.revision(), body.displayName(), body.description());
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(ModelJson.of(catalog.registerPrefix(request, body.prefix())));
  }

  @PostMapping("/{id}/retire")
  ResponseEntity<ModelJson> retire(@PathVariable UUID id) {
    if (catalog.find(id).isEmpty()) {
      return ResponseEntity.notFound().build();
    }
    return ResponseEntity.ok(ModelJson.of(catalog.retire(id)));
  }

  @PostMapping("/uploads")
  ResponseEntity<ModelUploads.UploadPlan> startUpload(
      @RequestBody UploadBody<ModelUploads.FileToSend> body) {
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(uploads.start(body.request(), body.files()));
  }

  @PostMapping("/uploads/{id}/parts")
  List<MultipartStorage.UploadedPart> sentParts(
      @PathVariable UUID id, @RequestBody ModelUploads.SentFile file) {
    return uploads.sentParts(id, file.name());
  }

  /** Fresh part URLs for one file, for a client whose URLs ran out (they last minutes). */
  @PostMapping("/uploads/{id}/part-urls")
  List<String> partUrls(@PathVariable UUID id, @RequestBody ModelUploads.SentFile file) {
    return uploads.partUrls(id, file.name(), 1, Integer.MAX_VALUE);
  }

  @PostMapping("/uploads/{id}/complete")
  ResponseEntity<ModelJson> completeUpload(@PathVariable UUID id) {
    return ResponseEntity.status(HttpStatus.CREATED).body(ModelJson.of(uploads.complete(id)));
  }

  @PostMapping("/uploads/{id}/abort")
  ResponseEntity<Void> abortUpload(@PathVariable UUID id) {
    uploads.abort(id);
    return ResponseEntity.noContent().build();
  }

  /** A refused folder: problem JSON that names the file and the reason. */
  @ExceptionHandler(ModelRejectedException.class)
  ResponseEntity<Map<String, Object>> rejected(
      HttpServletRequest request, ModelRejectedException e) {
    Map<String, Object> problem =
        ApiErrors.problem(
            HttpStatus.UNPROCESSABLE_CONTENT,
            String.valueOf(e.getMessage()),
            "model_rejected",
            request.getRequestURI());
    problem.put("file", e.file());
    problem.put("reason", e.reason());
    return ResponseEntity.unprocessableContent().contentType(ApiErrors.PROBLEM_JSON).body(problem);
  }
}
