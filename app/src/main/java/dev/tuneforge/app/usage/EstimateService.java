package dev.tuneforge.app.usage;

import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.tenancy.TenantContext;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Cost before launch, on each class of enrolled node: (time around the steps + trained tokens ÷
 * training speed + generated tokens ÷ generation speed) × the class's price. Tokens come from the
 * dataset's count under the chosen model; speeds from the class's recent finished jobs (see {@link
 * PastJobs}), else from the configured assumptions. docs/usage.md gives the formula.
 */
@Service
public class EstimateService {
  /** Trained tokens over metered seconds of one node class. */
  public record Throughput(String nodeClass, long tokens, long seconds) {
    public double tokensPerSecond() {
      return seconds == 0 ? 0 : (double) tokens / seconds;
    }
  }

  private final DatasetService datasets;
  private final DatasetTokens tokens;
  private final CatalogService catalog;
  private final List<NodeClasses> nodeClasses;
  private final PastJobs past;
  private final JobEstimates stored;
  private final UsageProperties properties;
  private final JdbcClient jdbc;

  EstimateService(
      DatasetService datasets,
      DatasetTokens tokens,
      CatalogService catalog,
      List<NodeClasses> nodeClasses,
      PastJobs past,
      JobEstimates stored,
      UsageProperties properties,
      JdbcClient jdbc) {
    this.datasets = datasets;
    this.tokens = tokens;
    this.catalog = catalog;
    this.nodeClasses = nodeClasses;
    this.past = past;
    this.stored = stored;
    this.properties = properties;
    this.jdbc = jdbc;
  }

  /** Measured throughput by node class, from finished training segments that trained something. */
  public Map<String, Throughput> measured() {
    return jdbc
        .sql(
            "select node_class, sum(trained_tokens), sum(seconds) from usage_record where kind = 'training'"
                + " and ended_at is not null and trained_tokens > 0 and seconds > 0 group by node_class")
        .query((rs, row) -> new Throughput(rs.getString(1), rs.getLong(2), rs.getLong(3)))
        .list()
        .stream()
        .collect(Collectors.toMap(Throughput::nodeClass, t -> t));
  }

  /** The most memory one job may have on any enrolled node; 0 without nodes. */
  public long largestJobMemory() {
    return nodeClasses.stream().mapToLong(NodeClasses::largestJobMemory).max().orElse(0);
  }

  /**
   * The job's cost on each class of enrolled node, cheapest first; on an assumed CPU node when none
   * is enrolled. The dataset versions must be the calling tenant's.
   *
   * @throws IllegalArgumentException when a dataset version or the model is not the caller's
   */
  public List<Estimate> estimates(JobWork work) {
    List<NodeClasses.NodeClass> classes =
        nodeClasses.stream().flatMap(c -> c.nodeClasses().stream()).toList();
    if (classes.isEmpty()) {
      classes =
          List.of(
              new NodeClasses.NodeClass(
                  NodeClasses.name("cpu", "no node enrolled yet"),
                  properties.defaultPrice("cpu"),
                  0));
    }
    Work shape = shape(work);
    return classes.stream()
        .map(c -> estimate(shape, 0, c.name(), c.pricePerGpuHour()))
        .sorted(Comparator.comparing(Estimate::cost))
        .toList();
  }

  /**
   * Stores the job's estimates at launch, one per node class, as the calling tenant, so that the
   * metered cost can be set beside them once it finished; a second call changes nothing.
   */
  public List<Estimate> record(UUID jobId, JobWork work) {
    List<Estimate> all = estimates(work);
    Work shape = shape(work);
    all.forEach(e -> stored.save(jobId, JobEstimates.Moment.LAUNCH, e, shape.stored()));
    return all;
  }

  /**
   * Stores the job's estimate for the class of the node it was just dispatched to, as its tenant: a
   * job launched before any node of that class was enrolled has no estimate for it otherwise. The
   * whole job is estimated, as at launch, so that it compares with the whole metered job; the first
   * dispatch to a class is kept.
   */
  public void recordAtDispatch(
      UUID tenantId, UUID jobId, JobWork work, String nodeClass, BigDecimal price) {
    TenantContext.runAs(
        tenantId,
        () -> {
          Work shape = shape(work);
          stored.save(
              jobId,
              JobEstimates.Moment.DISPATCH,
              estimate(shape, 0, nodeClass, price),
              shape.stored());
        });
  }

  /**
   * A finished job's estimate for the node class it trained on beside its metered training and
   * evaluation, for the calling tenant; empty while it runs, or without an estimate for that class.
   */
  public Optional<EstimateComparison> comparison(UUID jobId) {
    return stored.comparisons(List.of(jobId)).stream().findFirst();
  }

  /**
   * What the rest of a job should cost on a node of {@code nodeClass} at {@code price}, as its
   * tenant.
   */
  public BigDecimal remainingCost(UUID tenantId, JobWork work, String nodeClass, BigDecimal price) {
    return TenantContext.callAs(
        tenantId, () -> estimate(shape(work), work.trainedTokens(), nodeClass, price).cost());
  }

  /**
   * A job's work in the estimate's terms: steps, trained tokens and what each takes ({@link
   * TokenWork}), evaluated examples.
   */
  private record Work(
      JobWork job,
      long parameters,
      double workPerToken,
      int steps,
      long tokens,
      String tokensBasis,
      int examples,
      double assistantTokensPerRow) {

    JobEstimates.Shape stored() {
      return new JobEstimates.Shape(parameters, job.method(), examples, workPerToken);
    }
  }

  private Work shape(JobWork work) {
    DatasetTokens.Pass pass =
        tokens.of(work.datasetVersionId(), work.baseModelId(), work.maxSequenceLength());
    int rows = Math.max(1, pass.rows());
    long stepsPerEpoch = (rows + work.examplesPerStep() - 1) / work.examplesPerStep();
    long allSteps = stepsPerEpoch * work.epochs();
    long steps = work.maxSteps() > 0 ? Math.min(work.maxSteps(), allSteps) : allSteps;
    long fullEpochs = steps / stepsPerEpoch;
    long examples =
        fullEpochs * rows + Math.min(rows, (steps % stepsPerEpoch) * work.examplesPerStep());
    BaseModel model = model(work.baseModelId());
    return new Work(
        work,
        model.getParameters(),
        TokenWork.perToken(
            model.getConfigJson(), model.getParameters(), work.method(), pass.tokensPerRow()),
        (int) steps,
        Math.round(examples * pass.tokensPerRow()),
        pass.basis(),
        heldOut(work),
        pass.assistantTokensPerRow());
  }

  /** The held-out examples both models answer: as many as asked for, at most as many as exist. */
  private int heldOut(JobWork work) {
    if (work.evaluationExamples() <= 0) {
      return 0;
    }
    UUID set =
        work.evaluationDatasetVersionId() != null
            ? work.evaluationDatasetVersionId()
            : work.datasetVersionId();
    DatasetSummary held =
        datasets
            .findVersion(set)
            .orElseThrow(() -> new IllegalArgumentException("Choose one of your datasets"));
    int available = work.evaluationDatasetVersionId() != null ? held.rows() : held.validationRows();
    return Math.min(work.evaluationExamples(), available);
  }

  private BaseModel model(UUID baseModelId) {
    return catalog
        .find(baseModelId)
        .filter(m -> m.getParameters() > 0)
        .orElseThrow(() -> new IllegalArgumentException("Choose a base model"));
  }

  /**
   * Tokens both models generate per held-out example when each may generate at most {@code
   * maxNewTokens}: what recent jobs of this size generated per example ({@code past}, NaN when none
   * did), capped at twice the limit; without them twice the dataset's answer length ({@code
   * answerTokens}), each capped at the limit.
   */
  static double generatedPerExample(double past, int maxNewTokens, double answerTokens) {
    return Double.isNaN(past)
        ? 2 * Math.min(maxNewTokens, answerTokens)
        : Math.min(2.0 * maxNewTokens, past);
  }

  private Estimate estimate(Work work, long trainedAlready, String nodeClass, BigDecimal price) {
    PastJobs.Speeds speeds =
        past.speeds(nodeClass, work.parameters(), work.job().method(), work.workPerToken());
    boolean trainedBefore = !Double.isNaN(speeds.tokensPerSecond());
    double perSecond =
        trainedBefore ? speeds.tokensPerSecond() : properties.assumedTokensPerSecond(nodeClass);
    double overhead =
        Double.isNaN(speeds.overheadSeconds())
            ? properties.startupSeconds()
            : speeds.overheadSeconds();
    double generatedPerSecond =
        Double.isNaN(speeds.generatedPerSecond())
            ? properties.assumedGeneratedPerSecond(nodeClass)
            : speeds.generatedPerSecond();
    double perExample =
        generatedPerExample(
            speeds.generatedPerExample(),
            work.job().evaluationMaxNewTokens(),
            work.assistantTokensPerRow());
    long generated = Math.round(work.examples() * perExample);
    long toTrain = Math.max(0, work.tokens() - trainedAlready);
    long seconds =
        Math.round(Math.ceil(overhead + toTrain / perSecond + generated / generatedPerSecond));
    BigDecimal cost = Money.cost(price, seconds).setScale(6, RoundingMode.HALF_UP);
    String basis =
        trainedBefore
            ? "speeds measured on " + PastJobs.describe(speeds)
            : "speeds assumed; no finished job on this class yet";
    return new Estimate(
        nodeClass,
        price,
        work.steps(),
        toTrain,
        work.tokensBasis(),
        perSecond,
        Math.round(overhead),
        generated,
        generatedPerSecond,
        basis,
        seconds,
        cost,
        properties.currency());
  }
}
