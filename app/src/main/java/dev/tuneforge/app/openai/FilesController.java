package dev.tuneforge.app.openai;

import dev.tuneforge.app.apikey.Download;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.storage.ObjectStorage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * OpenAI's files for fine-tuning: an upload is validated as a dataset upload is and stored as a new
 * version of the dataset named after the file; a malformed file answers 400 with each bad line's
 * number and reason and stores nothing. A file is a dataset version.
 */
@RestController
@RequestMapping("/v1/files")
class FilesController {
  private static final String WHAT = "file";

  private final DatasetService datasets;
  private final ObjectStorage storage;
  private final IdempotencyKeys idempotency;

  FilesController(DatasetService datasets, ObjectStorage storage, IdempotencyKeys idempotency) {
    this.datasets = datasets;
    this.storage = storage;
    this.idempotency = idempotency;
  }

  @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  ResponseEntity<?> upload(
      @RequestPart("file") MultipartFile file,
      @RequestParam("purpose") String purpose,
      @RequestHeader(name = IdempotencyKeys.HEADER, required = false) @Nullable String key)
      throws IOException {
    if (!FileObject.PURPOSE.equals(purpose)) {
      throw OpenAiException.invalid(
          "Only files for fine-tuning are kept here: purpose must be 'fine-tune', not '"
              + purpose
              + "'",
          "purpose");
    }
    String name = file.getOriginalFilename();
    if (name == null || name.isBlank()) {
      throw OpenAiException.invalid("The file part needs a file name", "file");
    }
    Path copy = Files.createTempFile("tuneforge-v1-file-", ".upload");
    try {
      file.transferTo(copy);
      byte[] request =
          IdempotencyKeys.utf8(purpose + "\n" + name + "\n" + IdempotencyKeys.sha256(copy));
      return idempotency.answer(
          key,
          "files",
          request,
          () -> ResponseEntity.ok(FileObject.of(datasets.upload(name, name, copy))));
    } finally {
      Files.deleteIfExists(copy);
    }
  }

  @GetMapping
  ListPage<FileObject> list(
      @RequestParam(required = false) @Nullable String purpose,
      @RequestParam(required = false) @Nullable String after,
      @RequestParam(defaultValue = "100") int limit,
      @RequestParam(defaultValue = "desc") String order) {
    List<FileObject> all =
        purpose != null && !FileObject.PURPOSE.equals(purpose)
            ? List.of()
            : datasets.versions().stream().map(FileObject::of).toList();
    if ("asc".equals(order)) {
      all = all.stream().sorted(Comparator.comparingLong(FileObject::createdAt)).toList();
    } else if (!"desc".equals(order)) {
      throw OpenAiException.invalid("order is 'asc' or 'desc', not '" + order + "'", "order");
    }
    return ListPage.of(all, FileObject::id, after, limit);
  }

  @GetMapping("/{fileId}")
  FileObject retrieve(@PathVariable String fileId) {
    return FileObject.of(version(fileId));
  }

  @GetMapping("/{fileId}/content")
  @Download(MediaType.APPLICATION_OCTET_STREAM_VALUE)
  ResponseEntity<InputStreamResource> content(@PathVariable String fileId) {
    DatasetSummary version = version(fileId);
    String objectKey = datasets.uploadedFileKey(version.versionId()).orElseThrow();
    InputStream in = storage.tenantOpen(objectKey);
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_OCTET_STREAM)
        .header("Content-Disposition", "attachment; filename=\"" + safe(version.fileName()) + "\"")
        .body(new InputStreamResource(in));
  }

  @DeleteMapping("/{fileId}")
  FileObject.Deleted delete(@PathVariable String fileId) {
    DatasetSummary version = version(fileId);
    datasets.deleteVersion(version.versionId());
    return new FileObject.Deleted(fileId, "file", true);
  }

  private DatasetSummary version(String fileId) {
    UUID id = OpenAiIds.parse(OpenAiIds.FILE, fileId, WHAT, "file_id");
    return datasets
        .findVersion(id)
        .orElseThrow(() -> OpenAiException.notFound(WHAT, fileId, "file_id"));
  }

  private static String safe(String fileName) {
    return fileName.replaceAll("[^A-Za-z0-9._ ,-]", "_");
  }
}
