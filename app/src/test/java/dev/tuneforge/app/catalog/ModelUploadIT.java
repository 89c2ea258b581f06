package dev.tuneforge.app.catalog;

import static dev.tuneforge.app.TestRows.as;
import static dev.tuneforge.app.catalog.CatalogImportIT.admin;
import static dev.tuneforge.app.catalog.CatalogImportIT.platformAdmin;
import static dev.tuneforge.app.catalog.CatalogImportIT.suffix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.catalog.ModelUploads.FilePlan;
import dev.tuneforge.app.catalog.ModelUploads.FileToSend;
import dev.tuneforge.app.catalog.ModelUploads.PendingUpload;
import dev.tuneforge.app.catalog.ModelUploads.UploadPlan;
import dev.tuneforge.app.storage.MultipartStorage;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.app.tenancy.TenantContext;
import dev.tuneforge.modelformat.folder.ModelRejectedException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;

/**
 * Model folder uploads outlive the page that started them, against real PostgreSQL and S3: the
 * record names what was chosen and what arrived, the same folder resumes it (another folder is
 * refused with the file named), another tenant never sees or touches it, and a cancelled or
 * abandoned upload leaves no object and no record.
 */
@SpringBootTest
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
class ModelUploadIT {
  @Autowired ModelUploads uploads;
  @Autowired ObjectStorage storage;
  @Autowired MultipartStorage multipart;
  @Autowired JdbcClient jdbc;
  @TempDir Path temp;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void anUploadIsResumedWithTheSameFolderAndNoOtherTenantSeesOrTouchesIt() throws Exception {
    TestRows rows = new TestRows(jdbc);
    SignedInUser adminA = admin(rows, "a");
    SignedInUser adminB = admin(rows, "b");
    Path folder = temp.resolve("tiny");
    TinyModelFolder.write(folder);
    List<FileToSend> files = listed(folder);
    String name = "Acme/Resumed-" + suffix();
    UploadPlan plan = as(adminA, () -> uploads.start(ModelImport.of(name), files));
    FilePlan config = file(plan, "config.json");
    put(folder, config);
    as(adminA, () -> run(() -> uploads.partSent(plan.id(), "config.json", size(folder, config))));

    PendingUpload pending = as(adminA, () -> uploads.pending()).getFirst();
    assertThat(pending.id()).isEqualTo(plan.id());
    assertThat(pending.request().name()).isEqualTo(name);
    assertThat(pending.files()).isEqualTo(files.size());
    assertThat(pending.filesDone()).isEqualTo(1);
    assertThat(pending.bytesDone()).isEqualTo(Files.size(folder.resolve("config.json")));
    assertThat(pending.bytes()).isEqualTo(files.stream().mapToLong(FileToSend::size).sum());

    assertThat(as(adminB, () -> uploads.pending())).as("B sees no offer").isEmpty();
    assertThat(as(platformAdmin(), () -> uploads.pending())).as("nor the platform").isEmpty();
    assertThatThrownBy(() -> as(adminB, () -> uploads.resume(plan.id(), files)))
        .hasMessage("No such upload");
    assertThatThrownBy(() -> as(adminB, () -> uploads.sentParts(plan.id(), "config.json")))
        .hasMessage("No such upload");
    assertThatThrownBy(() -> as(adminB, () -> uploads.complete(plan.id())))
        .hasMessage("No such upload");
    as(adminB, () -> run(() -> uploads.abort(plan.id())));
    assertThat(as(adminA, () -> uploads.pending())).as("B's cancel touches nothing").hasSize(1);

    List<FileToSend> resized = new ArrayList<>(files);
    resized.replaceAll(f -> f.name().equals("tokenizer.json") ? new FileToSend(f.name(), 7) : f);
    assertThatThrownBy(() -> as(adminA, () -> uploads.resume(plan.id(), resized)))
        .isInstanceOf(ModelRejectedException.class)
        .hasMessageContaining("tokenizer.json")
        .hasMessageContaining("has 7 bytes in the chosen folder");
    assertThatThrownBy(() -> as(adminA, () -> uploads.resume(plan.id(), files.subList(1, 5))))
        .hasMessageContaining(files.getFirst().name())
        .hasMessageContaining("missing from the chosen folder");
    List<FileToSend> extra = new ArrayList<>(files);
    extra.add(new FileToSend("notes.txt", 3));
    assertThatThrownBy(() -> as(adminA, () -> uploads.resume(plan.id(), extra)))
        .hasMessageContaining("notes.txt: was not in the folder this upload started with");

    UploadPlan resumed = as(adminA, () -> uploads.resume(plan.id(), files));
    assertThat(resumed.id()).isEqualTo(plan.id());
    for (FilePlan file : resumed.files()) {
      if (as(adminA, () -> uploads.sentParts(plan.id(), file.name())).isEmpty()) {
        put(folder, file);
      } else {
        assertThat(file.name())
            .as("only the file sent before the reload is in")
            .isEqualTo("config.json");
      }
    }
    BaseModel model = as(adminA, () -> uploads.complete(plan.id()));

    assertThat(model.getName()).isEqualTo(name);
    assertThat(model.getOwnerTenantId()).isEqualTo(adminA.tenantId());
    for (FileToSend file : files) {
      try (var stored = storage.open(model.getObjectPrefix() + file.name())) {
        assertThat(stored.readAllBytes())
            .as(file.name())
            .isEqualTo(Files.readAllBytes(folder.resolve(file.name())));
      }
    }
    assertThat(as(adminA, () -> uploads.pending())).as("the record goes with the import").isEmpty();
    assertThat(records(plan.id())).isZero();
  }

  @Test
  void aCancelledUploadAndAnAbandonedOneLeaveNothingWhileAnActiveOneStays() throws Exception {
    TestRows rows = new TestRows(jdbc);
    SignedInUser adminA = admin(rows, "a");
    Path folder = temp.resolve("tiny");
    TinyModelFolder.write(folder);
    List<FileToSend> files = listed(folder);
    UploadPlan cancelled = startAndSendOne(adminA, folder, files);
    UploadPlan abandoned = startAndSendOne(adminA, folder, files);
    UploadPlan active = startAndSendOne(adminA, folder, files);
    jdbc.sql("update model_upload set last_active_at = now() - interval '8 days' where id = ?")
        .param(abandoned.id())
        .update();

    as(adminA, () -> run(() -> uploads.abort(cancelled.id())));
    int discarded =
        TenantContext.callAsSystem(
            () -> uploads.cleanUp(Instant.now().minus(uploads.abandonedUploadAge())));

    assertThat(discarded).isGreaterThanOrEqualTo(1);
    String tenantModels = ObjectKeys.tenantPrefix(adminA.tenantId()) + ObjectKeys.MODELS;
    for (UploadPlan gone : List.of(cancelled, abandoned)) {
      assertThat(records(gone.id())).isZero();
      assertThat(storage.list(tenantModels + gone.id() + "/")).isEmpty();
      assertThat(multipart.incompleteUploads(tenantModels + gone.id() + "/")).isEmpty();
    }
    assertThat(records(active.id())).isOne();
    assertThat(multipart.incompleteUploads(tenantModels + active.id() + "/")).hasSize(files.size());
    as(adminA, () -> run(() -> uploads.abort(active.id())));
  }

  private UploadPlan startAndSendOne(SignedInUser admin, Path folder, List<FileToSend> files)
      throws Exception {
    UploadPlan plan =
        as(admin, () -> uploads.start(ModelImport.of("Acme/Gone-" + suffix()), files));
    put(folder, plan.files().getFirst());
    return plan;
  }

  private void put(Path folder, FilePlan file) throws IOException, InterruptedException {
    byte[] bytes = Files.readAllBytes(folder.resolve(file.name()));
    assertThat(file.partUrls()).hasSize(1);
    HttpResponse<Void> put =
        http.send(
            HttpRequest.newBuilder(URI.create(file.partUrls().getFirst()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build(),
            HttpResponse.BodyHandlers.discarding());
    assertThat(put.statusCode()).isEqualTo(200);
  }

  private long records(UUID id) {
    return jdbc.sql("select count(*) from model_upload where id = ?")
        .param(id)
        .query(Long.class)
        .single();
  }

  private static FilePlan file(UploadPlan plan, String name) {
    return plan.files().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
  }

  private static long size(Path folder, FilePlan file) {
    return folder.resolve(file.name()).toFile().length();
  }

  private static List<FileToSend> listed(Path folder) throws IOException {
    try (Stream<Path> paths = Files.list(folder)) {
      List<FileToSend> files = new ArrayList<>();
      for (Path file : paths.sorted().toList()) {
        files.add(new FileToSend(file.getFileName().toString(), Files.size(file)));
      }
      return files;
    }
  }

  private static <T> T run(Runnable work) {
    work.run();
    return null;
  }
}
