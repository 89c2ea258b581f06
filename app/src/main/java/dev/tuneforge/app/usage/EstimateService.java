package dev.tuneforge.app.usage;

import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.tenancy.TenantContext;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Cost before launch: the dataset's tokens × epochs (fewer when max steps cuts training short) ÷
 * the node class's measured throughput × its price per hour. Throughput is what finished training
 * segments of that class trained per second they held a node, across all tenants (a figure about
 * hardware, not about anyone's data).
 */
@Service
public class EstimateService {
  static final int BYTES_PER_TOKEN = 4;

  /** Trained tokens over metered seconds of one node class. */
  public record Throughput(String nodeClass, long tokens, long seconds) {
    public double tokensPerSecond() {
      return seconds == 0 ? 0 : (double) tokens / seconds;
    }
  }

  private final DatasetService datasets;
  private final List<NodeClasses> nodeClasses;
  private final UsageProperties properties;
  private final JdbcClient jdbc;

  EstimateService(
      DatasetService datasets,
      List<NodeClasses> nodeClasses,
      UsageProperties properties,
      JdbcClient jdbc) {
    this.datasets = datasets;
    this.nodeClasses = nodeClasses;
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
   * is enrolled. The dataset version must be the calling tenant's.
   *
   * @throws IllegalArgumentException when the dataset version is not the caller's
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
    Map<String, Throughput> measured = measured();
    long tokens = tokens(work);
    return classes.stream()
        .map(c -> estimate(tokens, c.name(), c.pricePerGpuHour(), measured))
        .sorted(Comparator.comparing(Estimate::cost))
        .toList();
  }

  /**
   * What the rest of a job should cost on a node of {@code nodeClass} at {@code price}, as its
   * tenant.
   */
  public BigDecimal remainingCost(UUID tenantId, JobWork work, String nodeClass, BigDecimal price) {
    return TenantContext.callAs(
        tenantId,
        () -> {
          long remaining = Math.max(0, tokens(work) - work.trainedTokens());
          return estimate(remaining, nodeClass, price, measured()).cost();
        });
  }

  private Estimate estimate(
      long tokens, String nodeClass, BigDecimal price, Map<String, Throughput> measured) {
    Throughput throughput = measured.get(nodeClass);
    boolean wasMeasured = throughput != null && throughput.tokensPerSecond() > 0;
    double perSecond =
        wasMeasured ? throughput.tokensPerSecond() : properties.assumedTokensPerSecond(nodeClass);
    long seconds = (long) Math.ceil(tokens / perSecond);
    BigDecimal cost = Money.cost(price, seconds).setScale(6, RoundingMode.HALF_UP);
    return new Estimate(
        nodeClass,
        price,
        tokens,
        true,
        perSecond,
        wasMeasured,
        seconds,
        cost,
        properties.currency());
  }

  /**
   * Tokens the whole job trains: the dataset's, estimated from its bytes, per epoch, cut by max
   * steps.
   */
  private long tokens(JobWork work) {
    DatasetSummary dataset =
        datasets
            .findVersion(work.datasetVersionId())
            .orElseThrow(() -> new IllegalArgumentException("Choose one of your datasets"));
    long perEpoch = dataset.sizeBytes() / BYTES_PER_TOKEN;
    long stepsPerEpoch =
        Math.max(
            1,
            (dataset.rows() + Math.max(1, work.batchSize()) - 1) / Math.max(1, work.batchSize()));
    long allSteps = stepsPerEpoch * Math.max(1, work.epochs());
    double share =
        work.maxSteps() > 0 && work.maxSteps() < allSteps
            ? (double) work.maxSteps() / allSteps
            : 1.0;
    return Math.round(perEpoch * Math.max(1, work.epochs()) * share);
  }
}
