package dev.tuneforge.app.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.TestApi;
import dev.tuneforge.app.TestClock;
import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.apikey.ApiKeys;
import dev.tuneforge.app.tenancy.TenantContext;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /api/usage} and budgets over HTTP with API keys: the team's spend by kind and job (by the
 * job's id: two jobs of one name stay apart) equals the usage page's report and its CSV, over one
 * month or several; another team's key sees none of it; only a platform admin sets a budget, with
 * the tenants page's validation and audit record. The clock stands mid-month, so the spend lies in
 * "this month" whatever the day the tests run.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
@ExtendWith(TestClock.MidNextMonth.class)
class UsageApiIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired ApiKeys keys;
  @Autowired UsageReports reports;
  @Autowired BudgetService budgets;
  @Autowired TestClock clock;

  @Test
  void aTeamReadsItsSpendAsTheUsagePageShowsItAndOnlyAPlatformAdminSetsItsBudget()
      throws Exception {
    TestApi api = new TestApi(port);
    TestRows rows = new TestRows(jdbc);
    SignedInUser member = rows.member("usage-api");
    UUID tenant = member.tenantId();
    UUID model = rows.model("usage-api-model-" + UUID.randomUUID());
    UUID version = rows.datasetVersion(tenant, member.userId(), 10, 100);
    UUID job = rows.job(tenant, member.userId(), model, version, "receipts", "succeeded");
    UUID node = rows.node("cpu", "usage api cpu");
    Instant now = clock.instant();
    segment(tenant, job, member.userId(), model, node, "training", now.minusSeconds(7200), "3.60");
    segment(
        tenant, job, member.userId(), model, node, "evaluation", now.minusSeconds(3600), "0.40");
    // A second job of the same generated name, given its own name since: spend by job keeps the
    // two apart, by id, and shows each as its pages label it.
    UUID twin = rows.job(tenant, member.userId(), model, version, "receipts", "succeeded");
    jdbc.sql("update fine_tune_job set suffix = 'receipts-v2' where id = ?").param(twin).update();
    segment(tenant, twin, member.userId(), model, node, "training", now.minusSeconds(1800), "1.00");
    // The LLM judge's tokens bought for the twin count in its spend by job.
    judged(tenant, twin, member.userId(), now.minusSeconds(900), "0.50");
    String key = TestApi.key(keys, member.userId(), tenant, Role.MEMBER);
    YearMonth month = budgets.currentMonth();

    JsonNode usage = JSON.readTree(TestApi.ok(api.call("GET", "/api/usage", key, null)));
    UsageReport page =
        TestRows.as(member, () -> TenantContext.callAs(tenant, () -> reports.report(month)));
    assertThat(usage.path("from").asString()).isEqualTo(month.toString());
    assertThat(usage.path("total").decimalValue())
        .isEqualByComparingTo(page.total())
        .isEqualByComparingTo("5.50");
    assertThat(usage.path("byKind").path("training").decimalValue()).isEqualByComparingTo("4.60");
    assertThat(usage.path("byKind").path("evaluation").decimalValue()).isEqualByComparingTo("0.40");
    assertThat(usage.path("byKind").path("judge").decimalValue()).isEqualByComparingTo("0.50");
    JsonNode byJob = usage.path("byJob");
    assertThat(byJob.size()).isEqualTo(page.byJob().size()).isEqualTo(2);
    assertThat(byJob.get(0).path("id").asString()).isEqualTo(job.toString());
    assertThat(byJob.get(0).path("name").asString()).isEqualTo("receipts");
    assertThat(byJob.get(0).path("label").asString()).isEqualTo("receipts");
    assertThat(byJob.get(0).path("cost").decimalValue()).isEqualByComparingTo("4.00");
    assertThat(byJob.get(1).path("id").asString()).isEqualTo(twin.toString());
    assertThat(byJob.get(1).path("name").asString()).isEqualTo("receipts");
    assertThat(byJob.get(1).path("label").asString()).isEqualTo("receipts-v2 (receipts)");
    assertThat(byJob.get(1).path("cost").decimalValue())
        .as("its node time and the judge's tokens")
        .isEqualByComparingTo("1.50");
    assertThat(usage.path("lines").size()).isEqualTo(page.lines().size()).isEqualTo(3);
    JsonNode twoMonths =
        JSON.readTree(
            TestApi.ok(
                api.call(
                    "GET", "/api/usage?from=" + month.minusMonths(1) + "&to=" + month, key, null)));
    assertThat(twoMonths.path("months").size()).isEqualTo(2);
    assertThat(twoMonths.path("total").decimalValue()).isEqualByComparingTo("5.50");
    assertThat(twoMonths.path("byJob").size()).isEqualTo(2);
    assertThat(api.call("GET", "/api/usage?from=2026-13", key, null).statusCode()).isEqualTo(400);
    assertThat(
            api.call("GET", "/api/usage?from=" + month + "&to=" + month.minusMonths(1), key, null)
                .statusCode())
        .isEqualTo(400);
    HttpResponse<String> csv = api.call("GET", "/api/usage/csv?month=" + month, key, null);
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
    assertThat(csv.body())
        .isEqualTo(
            TestRows.as(member, () -> TenantContext.callAs(tenant, () -> reports.csv(month))));
    assertThat(csv.body().lines().findFirst().orElseThrow())
        .startsWith("started_at,ended_at,kind,job,job_id,user,");
    assertThat(csv.body())
        .contains(",training,receipts," + job + ",")
        .contains(",training,receipts," + twin + ",");

    SignedInUser stranger = rows.member("usage-api-other");
    String otherKey = TestApi.key(keys, stranger.userId(), stranger.tenantId(), Role.MEMBER);
    JsonNode theirs = JSON.readTree(TestApi.ok(api.call("GET", "/api/usage", otherKey, null)));
    assertThat(theirs.path("total").decimalValue()).isZero();
    assertThat(theirs.path("byJob").size()).isZero();
    assertThat(api.call("GET", "/api/usage/csv", otherKey, null).body()).doesNotContain("receipts");

    JsonNode budget = JSON.readTree(TestApi.ok(api.call("GET", "/api/budget", key, null)));
    assertThat(budget.path("monthlyBudget").isNull()).isTrue();
    assertThat(budget.path("spent").decimalValue()).isEqualByComparingTo("5.50");

    String path = "/api/tenants/" + tenant + "/budget";
    Map<String, Object> five = Map.of("monthlyBudget", 5);
    assertThat(api.call("PUT", path, key, five).statusCode()).isEqualTo(403);
    UUID teamAdmin = rows.user(tenant, "usage-api-admin-" + UUID.randomUUID());
    jdbc.sql("update app_user set role = 'TENANT_ADMIN' where id = ?").param(teamAdmin).update();
    String adminKey = TestApi.key(keys, teamAdmin, tenant, Role.TENANT_ADMIN);
    assertThat(api.call("PUT", path, adminKey, five).statusCode())
        .as("the budget is the platform's limit on a team, as on the tenants page")
        .isEqualTo(403);
    String rootKey = TestApi.key(keys, platformAdmin(), null, Role.PLATFORM_ADMIN);
    HttpResponse<String> negative =
        api.call("PUT", path, rootKey, Map.of("monthlyBudget", new BigDecimal("-1")));
    assertThat(negative.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(negative.body()).path("detail").asString()).contains("zero or more");
    JsonNode set = JSON.readTree(TestApi.ok(api.call("PUT", path, rootKey, five)));
    assertThat(set.path("monthlyBudget").decimalValue()).isEqualByComparingTo("5.00");
    assertThat(set.path("usedPercent").asDouble()).isEqualTo(110.0);
    assertThat(
            JSON.readTree(TestApi.ok(api.call("GET", "/api/budget", key, null)))
                .path("monthlyBudget")
                .decimalValue())
        .isEqualByComparingTo("5.00");
    assertThat(
            jdbc.sql(
                    "select count(*) from audit_record where tenant_id = ?"
                        + " and action = 'BUDGET_CHANGED' and detail = '5.00 a month'")
                .param(tenant)
                .query(Long.class)
                .single())
        .isEqualTo(1);
    assertThat(
            api.call("PUT", "/api/tenants/" + UUID.randomUUID() + "/budget", rootKey, five)
                .statusCode())
        .isEqualTo(404);
  }

  private UUID platformAdmin() {
    UUID admin = UUID.randomUUID();
    jdbc.sql(
            "insert into app_user (id, username, display_name, password_hash, role, created_at)"
                + " values (?, ?, 'root', 'x', 'PLATFORM_ADMIN', now())")
        .params(admin, "usage-api-root-" + admin)
        .update();
    return admin;
  }

  private void judged(UUID tenant, UUID job, UUID user, Instant at, String cost) {
    jdbc.sql(
            "insert into token_charge (id, tenant_id, kind, run_id, job_id, endpoint_name, model,"
                + " user_id, username, prompt_tokens, completion_tokens, price_per_1k_prompt,"
                + " price_per_1k_completion, cost, charged_at)"
                + " values (?, ?, 'judge', ?, ?, 'judge endpoint', 'judge-model', ?, 'u', 1000,"
                + " 100, 0.1, 0.1, ?, ?)")
        .params(
            UUID.randomUUID(),
            tenant,
            UUID.randomUUID(),
            job,
            user,
            new BigDecimal(cost),
            java.sql.Timestamp.from(at))
        .update();
  }

  private void segment(
      UUID tenant,
      UUID job,
      UUID user,
      UUID model,
      UUID node,
      String kind,
      Instant start,
      String cost) {
    jdbc.sql(
            "insert into usage_record (id, tenant_id, job_id, job_name, user_id, base_model_id,"
                + " base_model_name, node_id, node_name, node_class, price_per_gpu_hour, kind,"
                + " started_at, ended_at, seconds, cost)"
                + " values (?, ?, ?, 'receipts', ?, ?, 'm', ?, 'n', 'cpu', 3.6, ?, ?, ?, 1000, ?)")
        .params(
            UUID.randomUUID(),
            tenant,
            job,
            user,
            model,
            node,
            kind,
            java.sql.Timestamp.from(start),
            java.sql.Timestamp.from(start.plusSeconds(1000)),
            new BigDecimal(cost))
        .update();
  }
}
