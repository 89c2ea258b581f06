package dev.tuneforge.app.dataset;

import static dev.tuneforge.app.TestRows.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.storage.ObjectStorage;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Preference pairs through the upload, against real PostgreSQL and S3: OpenAI's preference JSONL
 * and a JSON array of chosen/rejected pairs each stored pair for pair as a preference dataset with
 * its own report; pairs that teach nothing (equal or empty answers), prompts that differ between
 * the answers, a malformed file, or a pair file read as ShareGPT, refused with row-numbered reasons
 * leaving nothing; another tenant sees none of it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
class PreferenceDatasetsIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Autowired DatasetService datasets;
  @Autowired ObjectStorage storage;
  @Autowired JdbcClient jdbc;

  @AfterEach
  void signOut() {
    SecurityContextHolder.clearContext();
  }

  @Test
  void openAiPreferenceJsonlIsStoredAsPairsWithItsReport() throws Exception {
    SignedInUser alice = member("alice");

    assertThatThrownBy(() -> upload(alice, "receipt pairs", "openai-preference.jsonl"))
        .as("a pair with equal answers, or an empty one, teaches DPO nothing")
        .isInstanceOfSatisfying(
            DatasetRejected.class,
            rejected ->
                assertThat(rejected.report().problems())
                    .containsExactly(
                        "line 11: the chosen and rejected answers are the same text; the pair"
                            + " teaches nothing",
                        "line 12: the rejected answer is empty; a pair needs two answers to"
                            + " compare"));
    assertNothingStored(alice);

    DatasetUpload stored =
        as(
            alice,
            () ->
                datasets.upload(
                    "receipt pairs",
                    "openai-preference.jsonl",
                    fixture("openai-preference.jsonl"),
                    DatasetUploadOptions.defaults().withDropInvalid(true)));

    assertThat(stored.dataset().rows()).isEqualTo(10);
    assertThat(stored.report().droppedRows()).isEqualTo(2);
    assertThat(stored.dataset().preferencePairs()).isTrue();
    assertThat(stored.dataset().label()).isEqualTo("receipt pairs (v1, 10 pairs)");
    assertThat(stored.report().formatLabel()).startsWith("Preference pairs JSONL");
    JsonNode first =
        JSON.readTree(
            as(alice, () -> datasets.preview(stored.dataset().versionId(), 1)).getFirst());
    assertThat(first.path("prompt").get(1).path("content").asString()).startsWith("SHOP 1");
    assertThat(first.path("chosen").get(0).path("content").asString())
        .isEqualTo("{\"total\": \"3.10\"}");
    assertThat(first.path("rejected").get(0).path("content").asString())
        .isEqualTo("The total is RM 3.10.");
    PreferenceReport report =
        as(alice, () -> datasets.preference(stored.dataset().versionId())).orElseThrow();
    assertThat(report.pairs()).isEqualTo(10);
    assertThat(report.identicalPairs()).as("left out").isEqualTo(1);
    assertThat(report.emptyRejected()).as("left out").isEqualTo(1);
    assertThat(report.emptyChosen()).isZero();
    assertThat(report.chosenLonger()).as("every kept rejected answer is longer").isZero();
    assertThat(report.meanChosenChars()).isLessThan(report.meanRejectedChars());
    assertThat(stored.quality().jsonAnswers()).as("the chosen answers are JSON").isEqualTo(10);

    SignedInUser bob = member("bob");
    assertThat(as(bob, () -> datasets.findVersion(stored.dataset().versionId()))).isEmpty();
    assertThat(as(bob, () -> datasets.preference(stored.dataset().versionId()))).isEmpty();
    assertThat(as(bob, () -> datasets.list())).isEmpty();
  }

  @Test
  void aJsonArrayOfChosenAndRejectedPairsIsStoredPairForPair() throws Exception {
    SignedInUser carol = member("carol");

    DatasetUpload stored = upload(carol, "trl pairs", "trl-pairs.json");

    assertThat(stored.dataset().rows()).isEqualTo(8);
    assertThat(stored.dataset().preferencePairs()).isTrue();
    assertThat(new TestRows(jdbc).datasetFormat(carol.tenantId(), "trl pairs"))
        .isEqualTo("preference-json");
    List<String> rows = as(carol, () -> datasets.preview(stored.dataset().versionId(), 8));
    assertThat(rows).hasSize(8);
    for (String row : rows) {
      JsonNode pair = JSON.readTree(row);
      assertThat(pair.path("prompt").get(0).path("role").asString()).isEqualTo("user");
      assertThat(pair.path("chosen").get(0).path("content").asString()).startsWith("{\"total\"");
      assertThat(pair.path("rejected").get(0).path("content").asString()).startsWith("It costs");
    }
    assertThat(
            as(carol, () -> datasets.preference(stored.dataset().versionId()))
                .orElseThrow()
                .chosenLonger())
        .isEqualTo(8);
  }

  @Test
  void malformedPairsAreRefusedByRowAndLeaveNothing() throws Exception {
    SignedInUser dave = member("dave");

    assertThatThrownBy(() -> upload(dave, "broken", "malformed-pairs.jsonl"))
        .isInstanceOfSatisfying(
            DatasetRejected.class,
            rejected ->
                assertThat(rejected.report().problems())
                    .containsExactly(
                        "line 2: missing \"rejected\": a preference pair needs both answers",
                        "line 4: \"chosen\" starts with a user message but does not repeat the"
                            + " prompt (message 1 differs): an answer is the assistant's, after"
                            + " the prompt",
                        "line 5: not valid JSON (Unexpected end-of-input within/between Object"
                            + " entries)",
                        "line 6: the prompts differ: \"chosen\" and \"rejected\" part at"
                            + " message 2, which is not the assistant's answer; a pair compares"
                            + " two answers to one prompt",
                        "line 8: the chosen answer is empty; a pair needs two answers to"
                            + " compare"));
    assertNothingStored(dave);
  }

  @Test
  void aPairFileIsNotReadAsShareGptWhichWouldDropItsAnswers() throws Exception {
    SignedInUser erin = member("erin");
    Path file = fixture("trl-pairs.json");

    assertThatThrownBy(
            () ->
                as(
                    erin,
                    () ->
                        datasets.upload(
                            "pairs",
                            "trl-pairs.json",
                            file,
                            new DatasetUploadOptions(
                                DatasetFormat.SHAREGPT,
                                true,
                                false,
                                null,
                                dev.tuneforge.app.dataset.split.DatasetSplit.none()))))
        .isInstanceOf(DatasetRejected.class)
        .hasMessageStartingWith(
            "The first row is a preference pair (chosen and rejected answers), not ShareGPT");
    assertNothingStored(erin);
  }

  private DatasetUpload upload(SignedInUser user, String name, String fixture) {
    return as(
        user,
        () -> datasets.upload(name, fixture, fixture(fixture), DatasetUploadOptions.defaults()));
  }

  private static Path fixture(String name) {
    try {
      return Path.of(PreferenceDatasetsIT.class.getResource("preference/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private void assertNothingStored(SignedInUser user) {
    new TestRows(jdbc).assertNoDatasetStored(storage, user.tenantId());
  }

  private SignedInUser member(String name) {
    return new TestRows(jdbc).member(name);
  }
}
