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
  void
      anEstimateIsStartUpPlusTokensOverTheClasssSpeedFromPastJobsTimesPriceAndIsComparedWhenDone() {
    TestRows db = new TestRows(jdbc);
    UUID tenant = db.tenant("estimated");
    String username = "est-" + UUID.randomUUID();
    UUID user = db.user(tenant, username);
    UUID model = db.model("est-model-" + UUID.randomUUID());
    // 4 MB at an assumed 4 bytes per token (the file cannot be sampled) is 1,000,000 tokens an
    // epoch of 10 rows; 2 epochs of 5 steps of 2 rows, cut to 5 steps: one epoch's tokens.
    UUID version = db.datasetVersion(tenant, user, 10, 4_000_000);
    JobWork work = work(version, model, 0);
    String unmeasured = "cuda · never measured " + UUID.randomUUID();
    assertThat(estimates.remainingCost(tenant, work, unmeasured, PRICE))
        .as("the assumed 30 s start-up and 1,000,000 tokens at the assumed 20,000 tokens/s")
        .isEqualByComparingTo("0.08");
    assertThat(estimates.remainingCost(tenant, work(version, model, 600_000), unmeasured, PRICE))
        .as("only what is left to train")
        .isEqualByComparingTo("0.05");

    String measuredName = "measured " + UUID.randomUUID();
    UUID measuredNode = db.node("cuda", measuredName);
    String measuredClass = "cuda · " + measuredName;
    UUID past = db.job(tenant, user, model, version, "past job", "succeeded");
    TenantContext.callAs(tenant, () -> estimates.record(past, work));
    Instant start = dayTwoOfThisMonth();
    usage.open(
        new UsageSegment(
            tenant,
            past,
            "past job",
            user,
            model,
            measuredNode,
            "n",
            measuredClass,
            // The class's price, which its estimate used: the default for a GPU without its own.
            new BigDecimal("2.00"),
            0,
            start));
    usage.close(past, 400_000, start.plusSeconds(40));
    assertThat(estimates.remainingCost(tenant, work, measuredClass, PRICE))
        .as("without step times: 400,000 tokens in 40 s and the assumed start-up, 30 + 100 s")
        .isEqualByComparingTo("0.13");

    // Its first step, warming up, ended 6 s after the start; the other 39 trained 390,000 tokens
    // in 19.5 s, 20,000 tokens/s. The 40 s metered hold 20 s beyond its 400,000 tokens at that
    // speed.
    metric(tenant, past, 1, start.plusSeconds(6), 10_000, 2_500);
    metric(tenant, past, 40, start.plusMillis(25_500), 400_000, 20_000);
    Estimate shown =
        TenantContext.callAs(tenant, () -> estimates.estimates(work)).stream()
            .filter(e -> e.nodeClass().equals(measuredClass))
            .findFirst()
            .orElseThrow();
    assertThat(shown.overheadSeconds()).isEqualTo(20);
    assertThat(shown.tokensPerSecond()).isEqualTo(20_000.0);
    assertThat(shown.seconds()).as("20 s and 1,000,000 tokens at 20,000 tokens/s").isEqualTo(70);
    assertThat(shown.describe())
        .contains("20 s start-up", "5 steps of 1,000,000 tokens (4 bytes per token, assumed)")
        .contains("speeds measured on 1 recent job trained");

    EstimateComparison compared =
        TenantContext.callAs(tenant, () -> estimates.comparison(past)).orElseThrow();
    assertThat(compared.meteredSeconds()).isEqualTo(40);
    assertThat(compared.estimatedSeconds())
        .as("stored at launch, with assumed speeds")
        .isEqualTo(80);
    assertThat(compared.moment()).isEqualTo("launch");
    assertThat(compared.errorPercent()).isEqualTo(100.0);
    assertThat(compared.describe()).contains("the estimate was +100 % off");
    String csv =
        TestRows.signedIn(user, tenant, username, () -> reports.csv(budgets.currentMonth()));
    assertThat(csv.lines().toList())
        .as("80 s at 2.00 per hour estimated, 40 s metered")
        .anyMatch(l -> l.contains("past job") && l.endsWith(",USD,0.044444,+100.0"));
    assertThat(TenantContext.callAs(db.tenant("other"), () -> estimates.comparison(past)))
        .as("another tenant's job")
        .isEmpty();
    assertThatThrownBy(
            () -> TenantContext.callAs(db.tenant("third"), () -> estimates.estimates(work)))
        .as("another tenant's dataset")
        .hasMessage("Choose one of your datasets");
  }

  @Test
  void aJobLaunchedBeforeItsNodesClassWasEnrolledIsEstimatedAgainAtDispatchAndComparedWithThat() {
    TestRows db = new TestRows(jdbc);
    UUID tenant = db.tenant("dispatched");
    String username = "disp-" + UUID.randomUUID();
    UUID user = db.user(tenant, username);
    UUID model = db.model("disp-model-" + UUID.randomUUID());
    UUID version = db.datasetVersion(tenant, user, 10, 4_000_000);
    JobWork work = work(version, model, 0);
    UUID job = db.job(tenant, user, model, version, "dispatched job", "succeeded");
    List<Estimate> atLaunch = TenantContext.callAs(tenant, () -> estimates.record(job, work));

    // Its node enrols after the launch: a class no launch estimate could name.
    String name = "late " + UUID.randomUUID();
    UUID node = db.node("cuda", name);
    String nodeClass = "cuda · " + name;
    assertThat(atLaunch).extracting(Estimate::nodeClass).doesNotContain(nodeClass);
    estimates.recordAtDispatch(tenant, job, work, nodeClass, PRICE);
    estimates.recordAtDispatch(tenant, job, work, nodeClass, PRICE.multiply(BigDecimal.TEN));
    Instant start = dayTwoOfThisMonth();
    usage.open(
        new UsageSegment(
            tenant, job, "dispatched job", user, model, node, "n", nodeClass, PRICE, 0, start));
    usage.close(job, 1_000_000, start.plusSeconds(60));

    EstimateComparison compared =
        TenantContext.callAs(tenant, () -> estimates.comparison(job)).orElseThrow();
    assertThat(compared.nodeClass()).isEqualTo(nodeClass);
    assertThat(compared.moment()).isEqualTo("dispatch");
    assertThat(compared.estimatedSeconds())
        .as("the assumed 30 s start-up and 1,000,000 tokens at the assumed 20,000 tokens/s")
        .isEqualTo(80);
    assertThat(compared.estimatedCost())
        .as("the first dispatch's estimate is kept")
        .isEqualByComparingTo("0.08");
    assertThat(compared.describe())
        .startsWith("Estimated 0.0800 USD (80 s) at dispatch; metered 0.0600 USD (60 s)")
        .endsWith("the estimate was +33 % off");
    assertThat(
            jdbc.sql("select moment, count(*) from job_estimate where job_id = ? group by moment")
                .param(job)
                .query((rs, row) -> rs.getString(1) + "=" + rs.getInt(2))
                .list())
        .as("both are stored: one per class known at launch, one for the class dispatched to")
        .containsExactlyInAnyOrder("launch=" + atLaunch.size(), "dispatch=1");
    String csv =
        TestRows.signedIn(user, tenant, username, () -> reports.csv(budgets.currentMonth()));
    assertThat(csv.lines().toList())
        .as("the CSV's estimate column is the dispatch estimate")
        .anyMatch(l -> l.contains("dispatched job") && l.endsWith(",USD,0.080000,+33.3"));
    assertThat(TenantContext.callAs(db.tenant("nosy"), () -> estimates.comparison(job)))
        .as("another tenant's job")
        .isEmpty();
  }

  /** Rows of 400,000 bytes: a maximum length of 131,072 tokens truncates none of them. */
  private static JobWork work(UUID version, UUID model, long trained) {
    return new JobWork(version, model, "lora", 2, 5, 2, 131_072, null, 0, 256, trained);
  }

  private void metric(UUID tenant, UUID job, int step, Instant at, long tokens, double perSecond) {
    jdbc.sql(
            "insert into job_event (tenant_id, job_id, at, type, step, total_steps, loss, tokens_per_second, tokens)"
                + " values (?, ?, ?, 'metric', ?, 40, 1.0, ?, ?)")
        .params(tenant, job, java.sql.Timestamp.from(at), step, perSecond, tokens)
        .update();
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
    assertThat(training.getEndedAt())
        .as("the training segment ends where its evaluation begins")
        .isEqualTo(start.plusSeconds(70))
        .isEqualTo(evaluation.getStartedAt());
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
    assertThat(lines.getFirst()).startsWith("started_at,ended_at,kind,job,job_id,user,base_model");
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
