package dev.tuneforge.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.TestApi;
import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.apikey.ApiKeys;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.app.tenancy.TenantContext;
import dev.tuneforge.protocol.EvaluationExample;
import dev.tuneforge.protocol.EvaluationSummary;
import dev.tuneforge.protocol.JobFolder;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /api/fine-tunes/{id}/evaluation} over HTTP on real PostgreSQL and S3: the stored metrics
 * the evaluation page shows, per field, with the page's intervals; the examples in pages with both
 * answers, scores and marks, and the page's filters. Another tenant's key gets 404 for both; a job
 * without an evaluation answers 404 saying so.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
class EvaluationApiIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String EXPECTED = "{\"a\":\"1\",\"b\":\"2\"}";
  private static final String WRONG = "{\"a\":\"9\",\"b\":\"9\"}";

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired ApiKeys keys;
  @Autowired ObjectStorage storage;
  @Autowired EvaluationService evaluations;
  @TempDir Path temp;

  @Test
  void theEvaluationAndItsExamplesAreThePagesFiguresForTheTeamOnly() throws Exception {
    TestApi api = new TestApi(port);
    TestRows rows = new TestRows(jdbc);
    SignedInUser member = rows.member("eval-api");
    UUID model = rows.model("eval-api-model-" + UUID.randomUUID());
    UUID version = rows.datasetVersion(member.tenantId(), member.userId(), 10, 1000);
    UUID job =
        rows.job(member.tenantId(), member.userId(), model, version, "receipts", "succeeded");
    String prefix = ObjectKeys.jobEvaluation(member.tenantId(), job, null);
    List<EvaluationExample> generations =
        List.of(
            EvaluationScoresTest.example(0, EXPECTED, WRONG, EXPECTED),
            EvaluationScoresTest.example(1, EXPECTED, WRONG, EXPECTED),
            EvaluationScoresTest.example(2, EXPECTED, EXPECTED, EXPECTED),
            EvaluationScoresTest.example(3, EXPECTED, EXPECTED, WRONG));
    List<String> lines = new ArrayList<>();
    generations.forEach(g -> lines.add(JSON.writeValueAsString(g)));
    put(prefix + JobFolder.GENERATIONS, String.join("\n", lines) + "\n");
    put(
        prefix + JobFolder.SUMMARY,
        JSON.writeValueAsString(new EvaluationSummary(4, "greedy", 64, null, null, 2.0, 84, null)));
    StoredEvaluation stored = as(member, () -> evaluations.ingest(job)).orElseThrow();
    String key = TestApi.key(keys, member.userId(), member.tenantId(), Role.MEMBER);

    JsonNode evaluation =
        JSON.readTree(
            TestApi.ok(api.call("GET", "/api/fine-tunes/" + job + "/evaluation", key, null)));
    assertThat(evaluation.path("status").asString()).isEqualTo("succeeded");
    assertThat(evaluation.path("kind").asString()).isEqualTo("extraction");
    assertThat(evaluation.path("examples").asInt()).isEqualTo(4);
    assertThat(evaluation.path("base").path("microF1").asDouble())
        .isEqualTo(stored.base().microF1());
    assertThat(evaluation.path("tuned").path("microF1").asDouble())
        .isEqualTo(stored.tuned().microF1())
        .isEqualTo(0.75);
    assertThat(evaluation.path("fields").valueStream().map(f -> f.path("path").asString()))
        .containsExactly("a", "b");
    assertThat(evaluation.path("fields").get(0).path("tuned").path("f1").asDouble())
        .isEqualTo(stored.fields().getFirst().tuned().f1());
    assertThat(evaluation.path("confidence").path("metrics").valueStream())
        .as("the page's bootstrap intervals")
        .anyMatch(m -> m.path("metric").asString().equals("MICRO_F1"));

    JsonNode page =
        JSON.readTree(
            TestApi.ok(
                api.call(
                    "GET",
                    "/api/fine-tunes/" + job + "/evaluation/examples?offset=1&limit=2",
                    key,
                    null)));
    assertThat(page.path("total").asInt()).isEqualTo(4);
    assertThat(page.path("data").valueStream().map(e -> e.path("index").asInt()))
        .containsExactly(1, 2);
    JsonNode example = page.path("data").get(0);
    assertThat(example.path("prompt").get(0).path("content").asString()).isEqualTo("receipt 1");
    assertThat(example.path("expected").asString()).isEqualTo(EXPECTED);
    assertThat(example.path("baseAnswer").asString()).isEqualTo(WRONG);
    assertThat(example.path("tunedAnswer").asString()).isEqualTo(EXPECTED);
    assertThat(example.path("baseScore").asDouble()).isZero();
    assertThat(example.path("tunedScore").asDouble()).isEqualTo(1.0);
    assertThat(example.path("baseMarks").valueStream().map(m -> m.path("status").asString()))
        .containsExactly("WRONG", "WRONG");
    assertThat(example.path("tunedMarks").valueStream().map(m -> m.path("status").asString()))
        .containsExactly("CORRECT", "CORRECT");
    JsonNode worse =
        JSON.readTree(
            TestApi.ok(
                api.call(
                    "GET",
                    "/api/fine-tunes/" + job + "/evaluation/examples?filter=tuned_worse",
                    key,
                    null)));
    assertThat(worse.path("data").valueStream().map(e -> e.path("index").asInt()))
        .containsExactly(3);
    HttpResponse<String> badFilter =
        api.call("GET", "/api/fine-tunes/" + job + "/evaluation/examples?filter=best", key, null);
    assertThat(badFilter.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(badFilter.body()).path("detail").asString()).contains("tuned_worse");

    UUID unevaluated =
        rows.job(member.tenantId(), member.userId(), model, version, "no evaluation", "running");
    HttpResponse<String> notYet =
        api.call("GET", "/api/fine-tunes/" + unevaluated + "/evaluation", key, null);
    assertThat(notYet.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(notYet.body()).path("detail").asString())
        .contains("No evaluation yet");

    SignedInUser stranger = rows.member("eval-api-other");
    String otherKey = TestApi.key(keys, stranger.userId(), stranger.tenantId(), Role.MEMBER);
    for (String path : List.of("/evaluation", "/evaluation/examples")) {
      HttpResponse<String> hidden =
          api.call("GET", "/api/fine-tunes/" + job + path, otherKey, null);
      assertThat(hidden.statusCode()).as(path).isEqualTo(404);
      assertThat(JSON.readTree(hidden.body()).path("detail").asString())
          .isEqualTo("No such fine-tune");
    }
  }

  private static <T> T as(SignedInUser user, Supplier<T> work) {
    return TestRows.as(user, () -> TenantContext.callAs(user.tenantId(), work));
  }

  private void put(String key, String text) {
    TestObjectStorage.putText(storage, temp, key, text);
  }
}
