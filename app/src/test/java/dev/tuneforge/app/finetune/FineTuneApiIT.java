package dev.tuneforge.app.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.TestApi;
import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.apikey.ApiKeys;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /api/fine-tunes} over HTTP with API keys: the team's jobs newest first in pages, one job
 * with its settings, lineage and metered cost; another tenant's key lists none of them and gets 404
 * for each, a platform admin's key (no team) 403, bad paging 400, all as problem JSON.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
class FineTuneApiIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired ApiKeys keys;

  @Test
  void aTeamReadsItsFineTunesAndNoOtherTeamDoes() throws Exception {
    TestApi api = new TestApi(port);
    TestRows rows = new TestRows(jdbc);
    UUID tenant = rows.tenant("ft-api");
    UUID user = rows.user(tenant, "ft-api-" + UUID.randomUUID());
    UUID model = rows.model("ft-api-model-" + UUID.randomUUID());
    UUID version = rows.datasetVersion(tenant, user, 10, 100);
    UUID first = rows.job(tenant, user, model, version, "receipts", "succeeded");
    UUID second = rows.job(tenant, user, model, version, "receipts again", "queued");
    jdbc.sql(
            "update fine_tune_job set created_at = now() + interval '1 second',"
                + " continued_from_job_id = ?, continued_from_step = 10 where id = ?")
        .params(first, second)
        .update();
    jdbc.sql("update fine_tune_job set evaluation_max_new_tokens = 48 where id = ?")
        .params(first)
        .update();
    UUID node = rows.node("cpu", "test cpu");
    jdbc.sql(
            "insert into usage_record (id, tenant_id, job_id, job_name, user_id, base_model_id,"
                + " base_model_name, node_id, node_name, node_class, price_per_gpu_hour, kind,"
                + " started_at, ended_at, seconds, cost)"
                + " values (?, ?, ?, 'receipts', ?, ?, 'm', ?, 'n', 'cpu', 1.5, 'training',"
                + " now() - interval '1 hour', now(), 3000, 1.25)")
        .params(UUID.randomUUID(), tenant, first, user, model, node)
        .update();
    String key = TestApi.key(keys, user, tenant, Role.MEMBER);

    JsonNode list = JSON.readTree(TestApi.ok(api.call("GET", "/api/fine-tunes", key, null)));
    assertThat(list.path("total").asInt()).isEqualTo(2);
    assertThat(list.path("data").valueStream().map(j -> j.path("id").asString()))
        .as("newest first")
        .containsExactly(second.toString(), first.toString());
    JsonNode page =
        JSON.readTree(TestApi.ok(api.call("GET", "/api/fine-tunes?offset=1&limit=1", key, null)));
    assertThat(page.path("data").get(0).path("name").asString()).isEqualTo("receipts");
    assertThat(page.path("total").asInt()).isEqualTo(2);

    JsonNode job =
        JSON.readTree(TestApi.ok(api.call("GET", "/api/fine-tunes/" + first, key, null)));
    assertThat(job.path("status").asString()).isEqualTo("succeeded");
    assertThat(job.path("settings").path("loraR").asInt()).isEqualTo(8);
    assertThat(job.path("settings").path("evaluationMaxNewTokens").asInt()).isEqualTo(48);
    assertThat(job.path("settings").path("targetModules").get(0).asString()).isEqualTo("q_proj");
    assertThat(job.path("lineage").path("continuedBy").get(0).path("id").asString())
        .isEqualTo(second.toString());
    assertThat(job.path("lineage").path("continuedBy").get(0).path("fromStep").asInt())
        .isEqualTo(10);
    assertThat(job.path("cost").path("metered").decimalValue()).isEqualByComparingTo("1.25");
    assertThat(job.path("cost").path("meteredSeconds").asLong()).isEqualTo(3000);
    JsonNode continued =
        JSON.readTree(TestApi.ok(api.call("GET", "/api/fine-tunes/" + second, key, null)));
    assertThat(continued.path("lineage").path("continuedFromJobId").asString())
        .isEqualTo(first.toString());

    HttpResponse<String> badPage = api.call("GET", "/api/fine-tunes?limit=0", key, null);
    assertThat(badPage.statusCode()).isEqualTo(400);
    assertThat(badPage.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/problem+json");

    UUID other = rows.tenant("ft-api-other");
    UUID stranger = rows.user(other, "ft-api-other-" + UUID.randomUUID());
    String otherKey = TestApi.key(keys, stranger, other, Role.MEMBER);
    assertThat(
            JSON.readTree(TestApi.ok(api.call("GET", "/api/fine-tunes", otherKey, null)))
                .path("total")
                .asInt())
        .isZero();
    HttpResponse<String> hidden = api.call("GET", "/api/fine-tunes/" + first, otherKey, null);
    assertThat(hidden.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(hidden.body()).path("code").asString()).isEqualTo("not_found");
    assertThat(hidden.body()).doesNotContain("receipts");

    UUID admin = UUID.randomUUID();
    jdbc.sql(
            "insert into app_user (id, username, display_name, password_hash, role, created_at)"
                + " values (?, ?, 'root', 'x', 'PLATFORM_ADMIN', now())")
        .params(admin, "ft-api-root-" + admin)
        .update();
    String adminKey = TestApi.key(keys, admin, null, Role.PLATFORM_ADMIN);
    assertThat(api.call("GET", "/api/fine-tunes", adminKey, null).statusCode()).isEqualTo(403);
  }
}
