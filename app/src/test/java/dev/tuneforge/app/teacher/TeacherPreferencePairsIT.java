package dev.tuneforge.app.teacher;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.catalog.TinyModelFolder;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.tenancy.TenantContext;
import dev.tuneforge.app.usage.BudgetService;
import dev.tuneforge.app.usage.TokenCharge;
import dev.tuneforge.app.usage.TokenCharges;
import dev.tuneforge.app.work.RunStatus;
import dev.tuneforge.chat.ChatEncoder;
import dev.tuneforge.chat.EncodedExample;
import dev.tuneforge.chat.PreferenceDataset;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A teacher run that makes preference pairs, against a fake OpenAI-compatible endpoint (a stand-in
 * for the third-party teacher), real PostgreSQL and S3: every document is extracted twice and both
 * extractions are judged; the pairs whose scores differ by the margin are stored through the
 * dataset upload as a preference version that the DPO trainer's encoding accepts, ties are dropped
 * and counted, every call is charged at the endpoint's prices and held to the budget, and another
 * tenant sees none of it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource("classpath:fake-teacher.properties")
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
class TeacherPreferencePairsIT {
  private static final ExtractionSchema SCHEMA =
      ExtractionSchema.parse("company: the seller's name\ntotal: the amount paid, as printed");

  @Autowired TeacherService teacher;
  @Autowired TeacherPipeline pipeline;
  @Autowired DatasetService datasets;
  @Autowired JdbcClient jdbc;
  @Autowired TokenCharges charges;
  @Autowired BudgetService budgets;

  private FakeOpenAiEndpoint fake;

  @BeforeEach
  void startFake() throws Exception {
    fake = new FakeOpenAiEndpoint();
  }

  @AfterEach
  void stopFake() {
    fake.close();
    SecurityContextHolder.clearContext();
  }

  @Test
  void pairsWhoseScoresDifferAreStoredAsAPreferenceVersionThatDpoEncodes(@TempDir Path model)
      throws Exception {
    SignedInUser alice = new TestRows(jdbc).member("pairs");
    // Document 1's sample and document 2's first extraction get the total wrong; document 3's two
    // extractions are the same; the judge rejects both of document 4's.
    fake.wrongSampledTotalFor(doc -> doc.contains("#1"))
        .wrongFirstTotalFor(doc -> doc.contains("#2"))
        .rejectFor(doc -> doc.contains("#4"));
    TeacherRun run = runToEnd(alice, "receipts", 4, new BigDecimal("0.5"), new BigDecimal("1.5"));

    TeacherRun done = as(alice, () -> teacher.find(run.getId()).orElseThrow());
    assertThat(done.getStatus()).as(String.valueOf(done.getError())).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(fake.calls("extraction")).as("each document extracted twice").isEqualTo(8);
    assertThat(fake.calls("judge")).as("both extractions judged").isEqualTo(8);
    // Every call is charged at the endpoint's prices: 1 + 1 + 4 documents + 8 + 8.
    List<TokenCharge> charged =
        as(alice, () -> charges.inMonth(budgets.currentMonth())).stream()
            .filter(c -> c.getRunId().equals(run.getId()))
            .toList();
    assertThat(charged).hasSize(22).allMatch(c -> c.getKind().equals(TokenCharge.TEACHER));
    BigDecimal expectedCost =
        charged.stream()
            .map(
                c ->
                    new BigDecimal(c.getPromptTokens())
                        .multiply(new BigDecimal("0.5"))
                        .add(
                            new BigDecimal(c.getCompletionTokens()).multiply(new BigDecimal("1.5")))
                        .divide(new BigDecimal(1000)))
            .reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(as(alice, () -> charges.costOf(run.getId())))
        .isPositive()
        .isEqualByComparingTo(expectedCost);
    assertThat(as(alice, () -> teacher.progress(run.getId())).stages())
        .extracting(StageProgress::stage, StageProgress::done, StageProgress::expected)
        .contains(
            org.assertj.core.groups.Tuple.tuple(Stage.SAMPLE, 4L, 4L),
            org.assertj.core.groups.Tuple.tuple(Stage.SCORE, 4L, 4L));
    PreferencePairs counts = as(alice, () -> teacher.preferencePairs(run.getId())).orElseThrow();
    assertThat(counts).isEqualTo(new PreferencePairs(2, 2, 0, 0, 2));
    assertThat(counts.summary())
        .isEqualTo(
            "2 pairs; 2 ties dropped (scores less than 2 points apart, or the same extraction"
                + " twice); 0 without an acceptable answer; 0 not scored");

    UUID pairsVersion = done.getPreferenceVersionId();
    assertThat(pairsVersion).isNotNull();
    DatasetSummary stored = as(alice, () -> datasets.findVersion(pairsVersion)).orElseThrow();
    assertThat(stored.preferencePairs()).isTrue();
    assertThat(stored.rows()).isEqualTo(2);
    assertThat(stored.label()).isEqualTo("receipts (preference pairs) (v1, 2 pairs)");
    assertThat(
            as(alice, () -> datasets.findVersion(done.getDatasetVersionId())).orElseThrow().rows())
        .as("the chat rows: the judge rejected document 4")
        .isEqualTo(3);

    List<String> rows = as(alice, () -> datasets.preview(pairsVersion, 10));
    JsonNode first = TeacherAnswers.JSON.readTree(rows.get(0));
    JsonNode second = TeacherAnswers.JSON.readTree(rows.get(1));
    assertThat(first.path("prompt").get(0).path("content").asString())
        .isEqualTo(SCHEMA.systemPrompt());
    assertThat(first.path("prompt").get(1).path("content").asString()).contains("#1");
    assertThat(answer(first, "chosen")).contains("\"total\":\"10.00\"");
    assertThat(answer(first, "rejected")).contains("\"total\":\"1.00\"");
    assertThat(second.path("prompt").get(1).path("content").asString()).contains("#2");
    assertThat(answer(second, "chosen")).as("the sample was better").contains("\"20.00\"");
    assertThat(answer(second, "rejected")).contains("\"1.00\"");

    // What the DPO trainer reads: each stored pair parses, and both answers keep tokens to learn
    // from once encoded (EncodedPairs leaves out pairs where either keeps none).
    TinyModelFolder.write(model);
    try (HuggingFaceTokenizer tokenizer = ChatEncoder.loadTokenizer(model)) {
      ChatEncoder encoder = ChatEncoder.forModel(model, tokenizer, 512);
      for (int i = 0; i < rows.size(); i++) {
        PreferenceDataset.Pair pair = PreferenceDataset.parse(i + 1, rows.get(i));
        EncodedExample chosen = encoder.encode(pair.chosen());
        EncodedExample rejected = encoder.encode(pair.rejected());
        assertThat(chosen.trainableTokens()).isPositive();
        assertThat(rejected.trainableTokens()).isPositive();
      }
    }

    SignedInUser bob = new TestRows(jdbc).member("pairs-other");
    assertThat(as(bob, () -> teacher.preferencePairs(run.getId()))).isEmpty();
    assertThat(as(bob, () -> datasets.findVersion(pairsVersion))).isEmpty();
  }

  @Test
  void aRunWhoseExtractionsAllTieStoresItsRowsAndNoPairs() {
    SignedInUser carol = new TestRows(jdbc).member("ties");
    TeacherRun run = runToEnd(carol, "ties", 2, null, null);

    TeacherRun done = as(carol, () -> teacher.find(run.getId()).orElseThrow());
    assertThat(done.getStatus()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(done.getDatasetVersionId()).isNotNull();
    assertThat(done.getPreferenceVersionId()).isNull();
    assertThat(as(carol, () -> teacher.preferencePairs(run.getId())).orElseThrow())
        .isEqualTo(new PreferencePairs(0, 2, 0, 0, 2));
    assertThat(as(carol, () -> datasets.list()))
        .extracting(DatasetSummary::name)
        .containsExactly("ties");
  }

  @Test
  void aRunThroughAPricedEndpointStopsWhenTheBudgetIsSpent() {
    SignedInUser dan = new TestRows(jdbc).member("budget");
    jdbc.sql("update tenant set monthly_budget = 0.01 where id = ?").param(dan.tenantId()).update();
    TeacherRun run = runToEnd(dan, "spent", 2, new BigDecimal("100"), new BigDecimal("100"));

    TeacherRun stopped = as(dan, () -> teacher.find(run.getId()).orElseThrow());
    assertThat(stopped.getStatus()).isEqualTo(RunStatus.CANCELLED);
    assertThat(stopped.getError())
        .startsWith("Stopped: the tenant's monthly budget")
        .endsWith("; resume to continue");
    assertThat(fake.calls("categories")).as("one call spent the budget").isEqualTo(1);
    assertThat(fake.calls("subtopics")).isZero();
  }

  /**
   * Launches a 1 × 1 × {@code documents} run making pairs (margin 2) through a new endpoint with
   * these prices, and works it to its end here.
   */
  private TeacherRun runToEnd(
      SignedInUser user,
      String name,
      int documents,
      @Nullable BigDecimal promptPrice,
      @Nullable BigDecimal completionPrice) {
    TeacherRun run =
        as(
            user,
            () -> {
              TeacherEndpoint endpoint =
                  teacher.addEndpoint("fake", fake.baseUrl(), "fake-model", "sk-test-key");
              teacher.price(endpoint.getId(), promptPrice, completionPrice);
              return teacher.prepare(
                  new TeacherRunRequest(
                      endpoint.getId(),
                      name,
                      "Shop receipts",
                      SCHEMA,
                      1,
                      1,
                      documents,
                      0.7,
                      42,
                      true,
                      2));
            });
    as(
        user,
        () -> {
          pipeline.run(run.getId());
          return null;
        });
    return run;
  }

  private static String answer(JsonNode pair, String which) {
    return pair.path(which).get(0).path("content").asString();
  }

  /** Runs {@code work} as {@code user}, signed in and in their tenant. */
  private static <T> T as(SignedInUser user, Supplier<T> work) {
    return TestRows.as(user, () -> TenantContext.callAs(user.tenantId(), work));
  }
}
