package dev.tuneforge.app.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.app.TestClock;
import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.tenancy.TenantContext;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;

/**
 * Metering on real PostgreSQL: what a segment on a node costs, how an evaluation's time is split
 * off its training segment, what counts against a budget, and that one tenant's usage (report and
 * CSV) never shows another's. The clock stands mid-month, so that day two of "this month" lies
 * before now whatever the day the tests run.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.class)
@ExtendWith(TestClock.MidNextMonth.class)
class UsageMeteringIT {
  // 3.60 per hour is 0.001 per second: costs read as seconds.
  private static final BigDecimal PRICE = new BigDecimal("3.6000");

  @Autowired UsageService usage;
  @Autowired UsageReports reports;
  @Autowired BudgetService budgets;
  @Autowired EstimateService estimates;
  @Autowired JdbcClient jdbc;

  @Test
  void anEstimateIsTokensTimesEpochsCutByMaxStepsOverThroughputTimesPrice() {
    TestRows db = new TestRows(jdbc);
    UUID tenant = db.tenant("estimated");
    UUID user = db.user(tenant, "est-" + UUID.randomUUID());
    // 4 MB is 1,000,000 tokens an epoch; 2 epochs of 5 steps, cut to 5 steps: half of 2,000,000.
    UUID version = db.datasetVersion(tenant, user, 10, 4_000_000);
    JobWork work = new JobWork(version, 2, 5, 2, 0);
    String unmeasured = "cuda · never measured " + UUID.randomUUID();
    assertThat(estimates.remainingCost(tenant, work, unmeasured, PRICE))
        .as("1,000,000 tokens at the assumed 20,000 tokens/s is 50 s")
        .isEqualByComparingTo("0.05");
    assertThat(
            estimates.remainingCost(
                tenant, new JobWork(version, 2, 5, 2, 600_000), unmeasured, PRICE))
        .as("only what is left to train")
        .isEqualByComparingTo("0.02");
    assertThat(estimates.remainingCost(tenant, new JobWork(version, 1, 0, 2, 0), unmeasured, PRICE))
        .isEqualByComparingTo("0.05");

    Setup measured = new Setup("throughput");
    String measuredClass = "cuda · measured " + UUID.randomUUID();
    Instant start = dayTwoOfThisMonth();
    usage.open(
        new UsageSegment(
            measured.tenant,
            measured.job,
            measured.jobName,
            measured.user,
            measured.model,
            measured.node,
            "gpu-node",
            measuredClass,
            PRICE,
            0,
            start));
    usage.close(measured.job, 400_000, start.plusSeconds(40));
    assertThat(estimates.measured().get(measuredClass).tokensPerSecond()).isEqualTo(10_000.0);
    assertThat(estimates.remainingCost(tenant, work, measuredClass, PRICE))
        .as("the class's measured 10,000 tokens/s: 100 s")
        .isEqualByComparingTo("0.1");

    Estimate shown = TenantContext.callAs(tenant, () -> estimates.estimates(work)).getFirst();
    assertThat(shown.tokens()).isEqualTo(1_000_000);
    assertThat(shown.describe()).contains("1,000,000 tokens (estimated at 4 bytes per token)");
    assertThatThrownBy(() -> TenantContext.callAs(measured.tenant, () -> estimates.estimates(work)))
        .as("another tenant's dataset")
        .hasMessage("Choose one of your datasets");
  }

  @Test
  void aSegmentCostsItsNodesPriceForItsSecondsAndCountsOnlyTheTokensItTrained() {
    Setup a = new Setup("metered");
    Instant start = dayTwoOfThisMonth();
    usage.open(a.segment(start, 1_000));
    usage.close(a.job, 5_000, start.plusSeconds(100));

    UsageRecord segment = TenantContext.callAs(a.tenant, () -> usage.segments(a.job)).getFirst();
    assertThat(segment.getSeconds()).isEqualTo(100);
    assertThat(segment.getTrainedTokens())
        .as("a resumed job's earlier tokens are not billed again")
        .isEqualTo(4_000);
    assertThat(segment.getCost()).isEqualByComparingTo("0.1");
    assertThat(segment.getKind()).isEqualTo(UsageKind.TRAINING);
    assertThat(segment.getBaseModelName()).isEqualTo(a.modelName);

    usage.open(a.segment(start.plusSeconds(200), 5_000));
    assertThat(budgets.spend(a.tenant, budgets.currentMonth()))
        .as("the open segment counts up to now")
        .isGreaterThan(new BigDecimal("0.1"));
    usage.close(a.job, 6_000, start.plusSeconds(260));
    assertThat(budgets.spend(a.tenant, budgets.currentMonth())).isEqualByComparingTo("0.16");
    usage.close(a.job, 9_999, start.plusSeconds(999));
    assertThat(budgets.spend(a.tenant, budgets.currentMonth()))
        .as("closing twice changes nothing")
        .isEqualByComparingTo("0.16");
  }

  @Test
  void anEvaluationTakesItsSecondsFromTheLastTrainingSegmentAndTheTotalStaysTheSame() {
    Setup a = new Setup("evaluated");
    Instant start = dayTwoOfThisMonth();
    usage.open(a.segment(start, 0));
    usage.close(a.job, 2_000, start.plusSeconds(100));

    UsageRecord evaluation = usage.splitEvaluation(a.job, 30, 777).orElseThrow();
    assertThat(evaluation.getKind()).isEqualTo(UsageKind.EVALUATION);
    assertThat(evaluation.getSeconds()).isEqualTo(30);
    assertThat(evaluation.getTrainedTokens()).isEqualTo(777);
    assertThat(evaluation.getCost()).isEqualByComparingTo("0.03");
    assertThat(evaluation.getEndedAt()).isEqualTo(start.plusSeconds(100));
    assertThat(usage.splitEvaluation(a.job, 30, 777))
        .as("a second call changes nothing")
        .isPresent();

    List<UsageRecord> segments = TenantContext.callAs(a.tenant, () -> usage.segments(a.job));
    assertThat(segments).hasSize(2);
    UsageRecord training =
        segments.stream().filter(r -> r.getKind() == UsageKind.TRAINING).findFirst().orElseThrow();
    assertThat(training.getSeconds()).isEqualTo(70);
    assertThat(training.getCost()).isEqualByComparingTo("0.07");
    assertThat(training.getTrainedTokens()).isEqualTo(2_000);
    assertThat(budgets.spend(a.tenant, budgets.currentMonth())).isEqualByComparingTo("0.1");

    Setup b = new Setup("short");
    usage.open(b.segment(start, 0));
    usage.close(b.job, 10, start.plusSeconds(20));
    assertThat(usage.splitEvaluation(b.job, 45, 5).orElseThrow().getSeconds())
        .as("never more than the segment held")
        .isEqualTo(20);
    assertThat(usage.splitEvaluation(UUID.randomUUID(), 5, 5)).as("a job never metered").isEmpty();
    assertThatThrownBy(() -> usage.splitEvaluation(a.job, -1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("never negative");
  }

  @Test
  void aTenantsReportAndCsvHoldOnlyItsOwnUsage() {
    Setup a = new Setup("alpha");
    Setup b = new Setup("beta");
    Instant start = dayTwoOfThisMonth();
    usage.open(a.segment(start, 0));
    usage.close(a.job, 100, start.plusSeconds(40));
    usage.open(a.segment(start.plusSeconds(3_600), 100));
    usage.close(a.job, 300, start.plusSeconds(3_660));
    usage.open(b.segment(start, 0));
    usage.close(b.job, 50, start.plusSeconds(500));

    UsageReport report = a.signedIn(() -> reports.report(budgets.currentMonth()));
    assertThat(report.lines()).hasSize(2).allMatch(l -> l.job().equals(a.jobName));
    assertThat(report.total()).isEqualByComparingTo("0.1");
    assertThat(report.byUser()).containsOnlyKeys(a.username);
    assertThat(report.byModel()).containsOnlyKeys(a.modelName);
    assertThat(report.byDay().get(LocalDate.ofInstant(start, ZoneOffset.UTC)))
        .isEqualByComparingTo("0.1");
    assertThat(report.byDay()).hasSize(budgets.currentMonth().lengthOfMonth());

    String csv = a.signedIn(() -> reports.csv(budgets.currentMonth()));
    List<String> lines = csv.lines().toList();
    assertThat(lines.getFirst()).startsWith("started_at,ended_at,kind,job,user,base_model");
    assertThat(lines).hasSize(3);
    assertThat(lines.get(1)).contains(",training,", a.username, "0.040000", ",40,100,");
    assertThat(csv).doesNotContain(b.jobName, b.username);

    String csvOfB = b.signedIn(() -> reports.csv(budgets.currentMonth()));
    assertThat(csvOfB).contains(b.jobName).doesNotContain(a.jobName);
    assertThat(TenantContext.callAs(b.tenant, () -> usage.segments(a.job)))
        .as("another tenant's segments")
        .isEmpty();
  }

  private Instant dayTwoOfThisMonth() {
    return BudgetService.start(budgets.currentMonth()).plus(Duration.ofHours(34));
  }

  /** A tenant with a member, a base model, a dataset, a job and a node. */
  private final class Setup {
    final UUID tenant;
    final UUID user;
    final String username;
    final String modelName;
    final UUID model;
    final UUID job;
    final String jobName;
    final UUID node;

    Setup(String name) {
      TestRows db = new TestRows(jdbc);
      String suffix = UUID.randomUUID().toString().substring(0, 6);
      tenant = db.tenant(name);
      username = name + "-user-" + suffix;
      user = db.user(tenant, username);
      modelName = name + "-model-" + suffix;
      model = db.model(modelName);
      jobName = name + ", job " + suffix;
      job =
          db.job(
              tenant, user, model, db.datasetVersion(tenant, user, 10, 4_000), jobName, "running");
      node = db.node("cuda", "Test GPU");
    }

    UsageSegment segment(Instant at, long tokensAtStart) {
      return new UsageSegment(
          tenant,
          job,
          jobName,
          user,
          model,
          node,
          "gpu-node",
          "cuda · Test GPU",
          PRICE,
          tokensAtStart,
          at);
    }

    <T> T signedIn(java.util.function.Supplier<T> work) {
      return TestRows.signedIn(user, tenant, username, work);
    }
  }
}
