package dev.tuneforge.app.dataset.staging;

import static dev.tuneforge.app.TestRows.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.dataset.DatasetRejected;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.storage.MultipartStorage;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.app.tenancy.TenantContext;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.context.ContextConfiguration;

/**
 * Browser uploads straight to object storage, against real S3 (S3Proxy): parts PUT over HTTP to
 * presigned URLs become a stored dataset version; an aborted, abandoned or incomplete upload leaves
 * no object, no unfinished multipart upload and no record; and another tenant can neither see nor
 * touch an upload.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
class StagedUploadIT {

  @Autowired StagedUploads uploads;
  @Autowired DatasetService datasets;
  @Autowired MultipartStorage multipart;
  @Autowired ObjectStorage storage;
  @Autowired JdbcClient jdbc;
  @TempDir Path dir;

  @AfterEach
  void signOut() {
    SecurityContextHolder.clearContext();
  }

  @Test
  void partsPutToPresignedUrlsBecomeAStoredVersionAndNothingStaysStaged() throws Exception {
    SignedInUser alice = member("alice");
    Path file = chatJsonl(dir.resolve("receipts.jsonl"), 17_000);
    long size = Files.size(file);
    StagedUploads.UploadPlan plan = as(alice, () -> uploads.start("receipts.jsonl", size));
    assertThat(plan.partSize()).isEqualTo(StagedUploads.MIN_PART_SIZE);
    assertThat(plan.partCount())
        .isEqualTo((int) ((size + plan.partSize() - 1) / plan.partSize()))
        .isGreaterThan(1);

    List<String> urls = as(alice, () -> uploads.partUrls(plan.id(), 1, 20));
    assertThat(urls).hasSize(plan.partCount());
    for (int part = 1; part <= plan.partCount(); part++) {
      assertThat(put(urls.get(part - 1), file, plan, part)).isEqualTo(200);
    }
    String key = stagedKey(plan.id());
    assertThat(as(alice, () -> multipart.tenantListParts(key, uploadId(plan.id()))))
        .extracting(MultipartStorage.UploadedPart::number)
        .hasSize(plan.partCount());

    StagedUploads.StagedFile staged = as(alice, () -> uploads.finish(plan.id()));
    try {
      assertThat(staged.fileName()).isEqualTo("receipts.jsonl");
      assertThat(Files.mismatch(staged.file(), file))
          .as("the copy is byte for byte the upload")
          .isEqualTo(-1);
      DatasetSummary stored =
          as(alice, () -> datasets.upload("receipts", staged.fileName(), staged.file()));
      assertThat(stored.rows()).isEqualTo(17_000);
      assertThat(as(alice, () -> datasets.preview(stored.versionId(), 1)).getFirst())
          .contains("receipt 0");
    } finally {
      Files.deleteIfExists(staged.file());
    }
    assertNothingStaged(alice);
  }

  @Test
  void anotherTenantCanNeitherSeeNorTouchAnUpload() throws Exception {
    SignedInUser alice = member("alice");
    SignedInUser bob = member("bob");
    Path file = chatJsonl(dir.resolve("small.jsonl"), 100);
    long size = Files.size(file);
    StagedUploads.UploadPlan plan = as(alice, () -> uploads.start("small.jsonl", size));
    String key = stagedKey(plan.id());
    String uploadId = uploadId(plan.id());
    assertThat(key).startsWith(ObjectKeys.tenantPrefix(alice.tenantId()) + "uploads/" + plan.id());

    assertThatThrownBy(() -> as(bob, () -> uploads.partUrls(plan.id(), 1, 1)))
        .hasMessage("No such upload");
    assertThatThrownBy(() -> as(bob, () -> uploads.finish(plan.id()))).hasMessage("No such upload");
    as(
        bob,
        () -> {
          uploads.abort(plan.id());
          return null;
        });
    assertThatThrownBy(
            () ->
                as(
                    bob,
                    () ->
                        multipart.tenantPresignPart(
                            key, uploadId, size, plan.partSize(), 1, Duration.ofMinutes(1))))
        .isInstanceOf(SecurityException.class);
    assertThatThrownBy(() -> as(bob, () -> multipart.tenantListParts(key, uploadId)))
        .isInstanceOf(SecurityException.class);
    assertThatThrownBy(() -> as(bob, () -> multipart.tenantComplete(key, uploadId)))
        .isInstanceOf(SecurityException.class);
    assertThatThrownBy(
            () ->
                as(
                    bob,
                    () -> {
                      multipart.tenantAbort(key, uploadId);
                      return null;
                    }))
        .isInstanceOf(SecurityException.class);

    String url = as(alice, () -> uploads.partUrls(plan.id(), 1, 1)).getFirst();
    assertThat(put(url, file, plan, 1))
        .as("bob's attempts left alice's upload as it was")
        .isEqualTo(200);
    StagedUploads.StagedFile staged = as(alice, () -> uploads.finish(plan.id()));
    Files.deleteIfExists(staged.file());
    assertNothingStaged(alice);
  }

  @Test
  void storageRefusesAPartLargerThanDeclaredAndAUsedUrlChangesNothing() throws Exception {
    SignedInUser grace = member("grace");
    Path file = chatJsonl(dir.resolve("small.jsonl"), 3);
    long size = Files.size(file);
    StagedUploads.UploadPlan plan = as(grace, () -> uploads.start("small.jsonl", size));
    assertThat(plan.partCount()).isOne();
    String url = as(grace, () -> uploads.partUrls(plan.id(), 1, 20)).getFirst();
    assertThat(url)
        .contains("X-Amz-SignedHeaders=content-length%3Bhost")
        .contains("X-Amz-Expires=" + StagedUploads.URL_VALIDITY.toSeconds());
    assertThat(StagedUploads.URL_VALIDITY).isLessThanOrEqualTo(Duration.ofMinutes(15));
    assertThatThrownBy(() -> as(grace, () -> uploads.partUrls(plan.id(), 2, 1)))
        .hasMessage("The upload has parts 1 to 1, not 2");

    assertThat(putBytes(url, new byte[20 * 1024 * 1024]))
        .as("20 MiB into the part of a %d-byte file", size)
        .isNotEqualTo(200);
    assertThat(putBytes(url, new byte[(int) size - 1])).as("one byte short").isNotEqualTo(200);
    assertThat(
            as(grace, () -> multipart.tenantListParts(stagedKey(plan.id()), uploadId(plan.id()))))
        .as("storage holds nothing of the refused bodies")
        .isEmpty();

    assertThat(put(url, file, plan, 1)).isEqualTo(200);
    StagedUploads.StagedFile staged = as(grace, () -> uploads.finish(plan.id()));
    try {
      assertThat(Files.mismatch(staged.file(), file)).isEqualTo(-1);
    } finally {
      Files.deleteIfExists(staged.file());
    }
    Map<String, Long> before = storage.sizes("");
    int reused = putBytes(url, Files.readAllBytes(file));
    // MinIO and S3 answer NoSuchUpload; S3Proxy takes the part of an upload that no longer exists,
    // and it shows up nowhere.
    assertThat(reused == 200 ? storage.sizes("") : before)
        .as("the URL used again after the upload finished (%d) changed no object", reused)
        .isEqualTo(before);
    assertNothingStaged(grace);
  }

  @Test
  void anAbortedUploadLeavesNothing() throws Exception {
    SignedInUser carol = member("carol");
    StagedUploads.UploadPlan plan = onlyFirstPartSent(carol);
    assertThat(incomplete(carol)).hasSize(1);

    as(
        carol,
        () -> {
          uploads.abort(plan.id());
          return null;
        });
    assertNothingStaged(carol);
  }

  @Test
  void anUploadWithMissingPartsIsRefusedAndLeavesNothing() throws Exception {
    SignedInUser dave = member("dave");
    StagedUploads.UploadPlan plan = onlyFirstPartSent(dave);
    long size = Files.size(dir.resolve("big.jsonl"));

    assertThatThrownBy(() -> as(dave, () -> uploads.finish(plan.id())))
        .isInstanceOf(DatasetRejected.class)
        .hasMessage(
            "The upload of big.jsonl is incomplete: "
                + plan.partSize()
                + " of "
                + size
                + " bytes arrived");
    assertNothingStaged(dave);
  }

  @Test
  void theCleanUpAbortsUploadsABrowserAbandoned() throws Exception {
    SignedInUser erin = member("erin");
    StagedUploads.UploadPlan plan = onlyFirstPartSent(erin);
    String orphanKey =
        ObjectKeys.stagedUpload(erin.tenantId(), UUID.randomUUID(), "no-record.jsonl");
    as(erin, () -> multipart.tenantCreate(orphanKey));

    assertThat(TenantContext.callAsSystem(() -> uploads.cleanUp(Instant.now().minusSeconds(3600))))
        .as("nothing is old enough yet")
        .isZero();
    assertThat(incomplete(erin)).hasSize(2);

    int abandoned = TenantContext.callAsSystem(() -> uploads.cleanUp(Instant.now().plusSeconds(5)));
    assertThat(abandoned)
        .as("the recorded upload and the one storage lists without a record")
        .isGreaterThanOrEqualTo(2);
    assertThat(
            jdbc.sql("select count(*) from staged_upload where id = ?")
                .param(plan.id())
                .query(Long.class)
                .single())
        .isZero();
    assertNothingStaged(erin);
  }

  @Test
  void aFileOverTheLimitIsRefusedBeforeAnythingIsStaged() {
    SignedInUser frank = member("frank");
    assertThatThrownBy(() -> as(frank, () -> uploads.start("huge.jsonl", 3L * 1024 * 1024 * 1024)))
        .isInstanceOf(DatasetRejected.class)
        .hasMessage("huge.jsonl is 3072.0 MB; the limit is 2048.0 MB");
    assertThatThrownBy(() -> as(frank, () -> uploads.start("empty.jsonl", 0)))
        .isInstanceOf(DatasetRejected.class)
        .hasMessage("empty.jsonl is empty");
    assertNothingStaged(frank);
  }

  /**
   * Starts the upload of a {@code big.jsonl} of several parts as {@code user}; sends only part 1.
   */
  private StagedUploads.UploadPlan onlyFirstPartSent(SignedInUser user) throws Exception {
    Path file = chatJsonl(dir.resolve("big.jsonl"), 17_000);
    long size = Files.size(file);
    StagedUploads.UploadPlan plan = as(user, () -> uploads.start("big.jsonl", size));
    assertThat(plan.partCount()).isGreaterThan(1);
    assertThat(put(as(user, () -> uploads.partUrls(plan.id(), 1, 1)).getFirst(), file, plan, 1))
        .isEqualTo(200);
    return plan;
  }

  private void assertNothingStaged(SignedInUser user) {
    String uploadsPrefix = ObjectKeys.tenantPrefix(user.tenantId()) + ObjectKeys.UPLOADS;
    assertThat(storage.list(uploadsPrefix)).as("staged objects").isEmpty();
    assertThat(incomplete(user)).as("unfinished multipart uploads").isEmpty();
    assertThat(
            jdbc.sql("select count(*) from staged_upload where tenant_id = ?")
                .param(user.tenantId())
                .query(Long.class)
                .single())
        .as("upload records")
        .isZero();
  }

  private List<MultipartStorage.IncompleteUpload> incomplete(SignedInUser user) {
    return multipart.incompleteUploads(ObjectKeys.tenantPrefix(user.tenantId()));
  }

  private String stagedKey(UUID id) {
    return jdbc.sql("select object_key from staged_upload where id = ?")
        .param(id)
        .query(String.class)
        .single();
  }

  private String uploadId(UUID id) {
    return jdbc.sql("select upload_id from staged_upload where id = ?")
        .param(id)
        .query(String.class)
        .single();
  }

  /** PUTs one part of {@code file} the way the browser does; returns the HTTP status. */
  private static int put(String url, Path file, StagedUploads.UploadPlan plan, int part)
      throws Exception {
    long offset = (part - 1) * plan.partSize();
    int length = (int) Math.min(plan.partSize(), Files.size(file) - offset);
    byte[] bytes = new byte[length];
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      in.seek(offset);
      in.readFully(bytes);
    }
    return putBytes(url, bytes);
  }

  private static int putBytes(String url, byte[] bytes) throws InterruptedException {
    return TestObjectStorage.put(url, bytes, 0, bytes.length);
  }

  /** A chat JSONL file of {@code rows} distinct receipts, about 1 KB each. */
  static Path chatJsonl(Path file, int rows) {
    String padding = "ITEM 1 X RM 2.50 ".repeat(50);
    try (Writer out = Files.newBufferedWriter(file)) {
      for (int i = 0; i < rows; i++) {
        out.write(
            "{\"messages\":[{\"role\":\"system\",\"content\":\"Extract the total.\"},"
                + "{\"role\":\"user\",\"content\":\"receipt "
                + i
                + " "
                + padding
                + "TOTAL RM "
                + i
                + ".00\"},"
                + "{\"role\":\"assistant\",\"content\":\"{\\\"total\\\": \\\""
                + i
                + ".00\\\"}\"}]}\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private SignedInUser member(String name) {
    return new TestRows(jdbc).member(name);
  }
}
