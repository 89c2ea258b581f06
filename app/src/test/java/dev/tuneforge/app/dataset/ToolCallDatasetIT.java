package dev.tuneforge.app.dataset;

import static dev.tuneforge.app.TestRows.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.context.ContextConfiguration;

/**
 * Tool-calling fixtures through the upload, against real PostgreSQL and S3: each stored with as
 * many rows as the file has, its tool use counted in the quality report and kept in the stored
 * rows, or refused with row-numbered "tool call" reasons leaving no object; another tenant sees
 * none of it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
class ToolCallDatasetIT {
  @Autowired DatasetService datasets;
  @Autowired ObjectStorage storage;
  @Autowired JdbcClient jdbc;
  @TempDir Path dir;

  @AfterEach
  void signOut() {
    SecurityContextHolder.clearContext();
  }

  @Test
  void eachToolCallingFormatIsStoredRowForRowAndSeenOnlyByItsTenant() throws IOException {
    SignedInUser erin = new TestRows(jdbc).member("erin");
    String[][] fixtures = {
      {"openai-tools.jsonl", "chat-jsonl"},
      {"openai-tools-array.json", "chat-json"},
      {"sharegpt-function-call.jsonl", "sharegpt-jsonl"}
    };
    for (String[] fixture : fixtures) {
      Path file = fixture(fixture[0]);
      DatasetUpload stored =
          as(erin, () -> datasets.upload(fixture[0], fixture[0], file, options()));

      assertThat(stored.dataset().rows()).as(fixture[0]).isEqualTo(3);
      assertThat(stored.quality().toolCallRows()).as(fixture[0]).isEqualTo(3);
      assertThat(as(erin, () -> datasets.quality(stored.dataset().versionId())).orElseThrow())
          .as("the report as stored")
          .extracting(QualityReport::toolCallRows)
          .isEqualTo(3);
      assertThat(as(erin, () -> datasets.preview(stored.dataset().versionId(), 3)))
          .as(fixture[0])
          .hasSize(3)
          .allMatch(row -> row.contains("\"tools\":[{\"type\":\"function\""))
          .anyMatch(row -> row.contains("\"tool_calls\":[") && row.contains("\"role\":\"tool\""));
      assertThat(
              jdbc.sql("select format from dataset_version where id = ?")
                  .param(stored.dataset().versionId())
                  .query(String.class)
                  .single())
          .isEqualTo(fixture[1]);
    }
    SignedInUser frank = new TestRows(jdbc).member("frank");
    assertThat(as(frank, () -> datasets.list())).isEmpty();
    as(erin, () -> datasets.list())
        .forEach(
            mine -> {
              assertThat(as(frank, () -> datasets.findVersion(mine.versionId()))).isEmpty();
              assertThat(as(frank, () -> datasets.quality(mine.versionId()))).isEmpty();
            });
  }

  @Test
  void malformedToolCallsAreRefusedByRowAndLeaveNothing() throws IOException {
    SignedInUser gina = new TestRows(jdbc).member("gina");
    Path file = fixture("malformed-tools.jsonl");

    assertThatThrownBy(() -> as(gina, () -> datasets.upload("bad", "bad.jsonl", file, options())))
        .isInstanceOfSatisfying(
            DatasetRejected.class,
            rejected ->
                assertThat(rejected.report().problems())
                    .hasSize(3)
                    .allMatch(p -> p.contains("tool call"))
                    .extracting(p -> p.substring(0, p.indexOf(':')))
                    .containsExactly("line 2", "line 3", "line 4"));
    assertThat(storage.list(ObjectKeys.tenantPrefix(gina.tenantId()))).isEmpty();
    assertThat(as(gina, () -> datasets.list())).isEmpty();
  }

  private static DatasetUploadOptions options() {
    return DatasetUploadOptions.defaults();
  }

  private Path fixture(String name) throws IOException {
    try (InputStream in =
        Objects.requireNonNull(
            getClass().getResourceAsStream("ingest/tools/" + name), "fixture " + name)) {
      Path file = dir.resolve(name);
      Files.copy(in, file);
      return file;
    }
  }
}
