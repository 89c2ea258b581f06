package dev.tuneforge.app.dataset;

import static dev.tuneforge.app.TestRows.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.dataset.ingest.ParquetFixtures;
import dev.tuneforge.app.dataset.split.DatasetSplit;
import dev.tuneforge.app.finetune.FineTuneRequest;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.app.tenancy.TenantContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
 * JSON arrays and Parquet files through the upload, against real PostgreSQL and S3: each stored
 * with as many rows as the file has and its format recorded, or refused with row-numbered reasons
 * leaving no row and no object; so are tool-calling rows, with their tool use kept; another tenant
 * sees none of it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
class DatasetFormatsIT {
  @Autowired DatasetService datasets;
  @Autowired ObjectStorage storage;
  @Autowired JdbcClient jdbc;
  @Autowired FineTuneService fineTunes;
  @TempDir Path dir;

  @AfterEach
  void signOut() {
    SecurityContextHolder.clearContext();
  }

  @Test
  void aPrettyPrintedJsonArrayIsStoredRowForRow() throws IOException {
    SignedInUser alice = member("alice");
    Path file = Files.writeString(dir.resolve("receipts.json"), alpacaArray(250, -1));

    DatasetUpload stored =
        as(
            alice,
            () ->
                datasets.upload(
                    "receipts", "receipts.json", file, DatasetUploadOptions.defaults()));

    assertThat(stored.dataset().rows()).isEqualTo(250);
    assertThat(stored.report().formatLabel())
        .isEqualTo("Alpaca JSON array (instruction, input, output)");
    assertThat(format(alice, "receipts")).isEqualTo("alpaca-json");
    assertThat(as(alice, () -> datasets.preview(stored.dataset().versionId(), 1)).getFirst())
        .contains("receipt 0");
    assertThat(objects(alice))
        .anyMatch(key -> key.endsWith("/train.jsonl"))
        .anyMatch(key -> key.endsWith("/original.json"));
    SignedInUser bob = member("bob");
    assertThat(as(bob, () -> datasets.findVersion(stored.dataset().versionId()))).isEmpty();
    assertThat(as(bob, () -> datasets.list())).isEmpty();
  }

  @Test
  void anArrayWithBadRowsIsRefusedNamingThemAndLeavesNothing() {
    SignedInUser carol = member("carol");
    Path file = write("broken.json", alpacaArray(40, 17));

    assertThatThrownBy(
            () ->
                as(
                    carol,
                    () ->
                        datasets.upload(
                            "broken", "broken.json", file, DatasetUploadOptions.defaults())))
        .isInstanceOfSatisfying(
            DatasetRejected.class,
            rejected ->
                assertThat(rejected.report().problems())
                    .containsExactly("row 18 (index 17): missing \"output\""));
    assertNothingStored(carol);
  }

  @Test
  void aDatasetInfoMappingReadsRenamedKeys() {
    SignedInUser dave = member("dave");
    DatasetInfo info =
        DatasetInfo.parse(
            "{\"chats\": {\"file_name\": \"chats.json\", \"formatting\": \"sharegpt\","
                + " \"columns\": {\"messages\": \"dialog\"},"
                + " \"tags\": {\"role_tag\": \"speaker\", \"content_tag\": \"text\","
                + " \"user_tag\": \"customer\", \"assistant_tag\": \"agent\"}}}",
            "chats.json");
    StringBuilder rows = new StringBuilder("[\n");
    for (int i = 0; i < 30; i++) {
      rows.append(i == 0 ? "" : ",\n")
          .append("  {\"dialog\": [\n    {\"speaker\": \"customer\", \"text\": \"Where is order ")
          .append(i)
          .append("?\"},\n    {\"speaker\": \"agent\", \"text\": \"On its way.\"}\n  ]}");
    }
    Path file = write("chats.json", rows + "\n]");

    DatasetUpload stored =
        as(
            dave,
            () ->
                datasets.upload(
                    "chats",
                    "chats.json",
                    file,
                    DatasetUploadOptions.defaults().withDatasetInfo(info)));

    assertThat(stored.dataset().rows()).isEqualTo(30);
    assertThat(format(dave, "chats")).isEqualTo("sharegpt-json");
  }

  @Test
  void parquetWithSeveralRowGroupsIsStoredRowForRow() throws IOException {
    SignedInUser erin = member("erin");
    Path chat = ParquetFixtures.chat(dir.resolve("train-00000-of-00001.parquet"), 3000);
    assertThat(ParquetFixtures.rowGroups(chat)).isGreaterThanOrEqualTo(3);
    Path columns =
        ParquetFixtures.write(
            dir.resolve("qa.parquet"),
            ParquetFixtures.COLUMNS,
            1000,
            (i, row) ->
                row.append("question", "q" + i)
                    .append("answer", "a" + i)
                    .append("split", i < 100 ? "validation" : "train"));

    DatasetUpload messages =
        as(
            erin,
            () ->
                datasets.upload(
                    "hf-chat",
                    "train-00000-of-00001.parquet",
                    chat,
                    DatasetUploadOptions.defaults()));
    DatasetUpload mapped =
        as(
            erin,
            () ->
                datasets.upload(
                    "qa",
                    "qa.parquet",
                    columns,
                    new DatasetUploadOptions(
                        DatasetFormat.PARQUET,
                        false,
                        false,
                        new CsvMapping("question", "answer"),
                        new DatasetSplit.ByField("split"))));

    assertThat(messages.dataset().rows()).isEqualTo(3000);
    assertThat(format(erin, "hf-chat")).isEqualTo("parquet");
    assertThat(as(erin, () -> datasets.preview(messages.dataset().versionId(), 1)).getFirst())
        .contains("Café receipt 0 — 東京");
    assertThat(mapped.dataset().rows()).isEqualTo(900);
    assertThat(mapped.dataset().validationRows()).isEqualTo(100);
    assertThat(objects(erin)).anyMatch(key -> key.endsWith("/original.parquet"));
    assertThat(as(erin, () -> datasets.parquetColumnsToMap(chat))).isEmpty();
    assertThat(as(erin, () -> datasets.parquetColumnsToMap(columns)))
        .containsExactly("question", "answer", "split", "score");
  }

  @Test
  void aBrokenParquetFileIsRefusedAndLeavesNothing() {
    SignedInUser frank = member("frank");
    Path file = write("data.parquet", "PAR1 this is not really parquet");

    assertThatThrownBy(
            () ->
                as(
                    frank,
                    () ->
                        datasets.upload(
                            "data", "data.parquet", file, DatasetUploadOptions.defaults())))
        .isInstanceOfSatisfying(
            DatasetRejected.class,
            rejected ->
                assertThat(rejected.report().problems().getFirst())
                    .startsWith("the file is not a Parquet file that can be read ("));
    assertNothingStored(frank);
  }

  /** Pretty-printed Alpaca rows with nested objects; the row at {@code broken} has no output. */
  @Test
  void eachToolCallingFormatIsStoredRowForRowAndSeenOnlyByItsTenant() throws IOException {
    SignedInUser erin = member("erin");
    String[][] fixtures = {
      {"openai-tools.jsonl", "chat-jsonl"},
      {"openai-tools-array.json", "chat-json"},
      {"sharegpt-function-call.jsonl", "sharegpt-jsonl"}
    };
    for (String[] fixture : fixtures) {
      Path file = toolFixture(fixture[0]);
      DatasetUpload stored =
          as(
              erin,
              () -> datasets.upload(fixture[0], fixture[0], file, DatasetUploadOptions.defaults()));

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
      assertThat(format(erin, fixture[0])).isEqualTo(fixture[1]);
    }
    SignedInUser frank = member("frank");
    assertThat(as(frank, () -> datasets.list())).isEmpty();
    for (DatasetSummary mine : as(erin, () -> datasets.list())) {
      assertThat(as(frank, () -> datasets.findVersion(mine.versionId()))).isEmpty();
      assertThat(as(frank, () -> datasets.quality(mine.versionId()))).isEmpty();
    }
  }

  /**
   * Evaluation renders its prompts as training renders rows, tools included: a tool-calling
   * evaluation dataset on a base whose template has no tool support is refused at launch as a
   * tool-calling training dataset is, and no job is made.
   */
  @Test
  void aToolCallingEvaluationDatasetIsRefusedForABaseWithoutToolSupport() throws IOException {
    SignedInUser hugo = member("hugo");
    Path tools = toolFixture("openai-tools.jsonl");
    Path plain = write("plain.jsonl", "{\"prompt\":\"2+2?\",\"completion\":\"4\"}\n");
    UUID evaluation = as(hugo, () -> datasets.upload("weather", "tools.jsonl", tools)).versionId();
    UUID training = as(hugo, () -> datasets.upload("sums", "plain.jsonl", plain)).versionId();
    String name = "chatml-" + UUID.randomUUID();
    UUID model = TenantContext.callAsSystem(() -> new TestRows(jdbc).model(name));
    FineTuneRequest request =
        FineTuneRequest.defaults(model, training).toBuilder().optEvaluation(evaluation, 3).build();

    assertThatThrownBy(() -> as(hugo, () -> fineTunes.create(request)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            name + "'s chat template has no tool support; 3 rows of weather call tools.");
    assertThat(as(hugo, () -> fineTunes.list())).isEmpty();
  }

  @Test
  void malformedToolCallsAreRefusedByLineAndLeaveNothing() throws IOException {
    SignedInUser gina = member("gina");
    Path file = toolFixture("malformed-tools.jsonl");

    assertThatThrownBy(
            () ->
                as(
                    gina,
                    () ->
                        datasets.upload("bad", "bad.jsonl", file, DatasetUploadOptions.defaults())))
        .isInstanceOfSatisfying(
            DatasetRejected.class,
            rejected ->
                assertThat(rejected.report().problems())
                    .hasSize(3)
                    .allMatch(p -> p.contains("tool call"))
                    .extracting(p -> p.substring(0, p.indexOf(':')))
                    .containsExactly("line 2", "line 3", "line 4"));
    assertNothingStored(gina);
  }

  /** A tool-calling fixture of the ingest tests, as a file to upload. */
  private Path toolFixture(String name) throws IOException {
    try (InputStream in =
        Objects.requireNonNull(
            getClass().getResourceAsStream("ingest/tools/" + name), "fixture " + name)) {
      Path file = dir.resolve(name);
      Files.copy(in, file);
      return file;
    }
  }

  private static String alpacaArray(int rows, int broken) {
    List<String> items = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      items.add(
          "  {\n    \"instruction\": \"Extract the total\",\n    \"input\": \"receipt "
              + i
              + " TOTAL RM "
              + i
              + ".00\",\n"
              + (i == broken ? "" : "    \"output\": \"{\\\"total\\\": \\\"" + i + ".00\\\"}\",\n")
              + "    \"meta\": {\"source\": {\"pages\": [1, 2], \"scan\": null}}\n  }");
    }
    return "[\n" + String.join(",\n", items) + "\n]\n";
  }

  private Path write(String name, String text) {
    try {
      return Files.writeString(dir.resolve(name), text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private String format(SignedInUser user, String dataset) {
    return new TestRows(jdbc).datasetFormat(user.tenantId(), dataset);
  }

  private List<String> objects(SignedInUser user) {
    return storage.list(ObjectKeys.tenantPrefix(user.tenantId()));
  }

  private void assertNothingStored(SignedInUser user) {
    new TestRows(jdbc).assertNoDatasetStored(storage, user.tenantId());
  }

  private SignedInUser member(String name) {
    return new TestRows(jdbc).member(name);
  }
}
