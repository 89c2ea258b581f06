package dev.tuneforge.app.synthetic;

import dev.tuneforge.app.account.CurrentUser;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.tenancy.TenantContext;
import dev.tuneforge.app.work.ActingUser;
import dev.tuneforge.app.work.WorkRunner;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What users do with synthetic data: preview rows of a spec, start a generation job, watch and
 * cancel it. Everything runs as the caller's tenant; other tenants' jobs are not found.
 */
@Service
@EnableConfigurationProperties(SyntheticProperties.class)
public class SyntheticDataService {
  public static final int PREVIEW_ROWS = 3;

  private final GenerationJobRepository jobs;
  private final WorkRunner runner;
  private final TransactionTemplate transactions;
  private final ApplicationEventPublisher publisher;
  private final SyntheticProperties properties;
  private final Clock clock;

  SyntheticDataService(
      GenerationJobRepository jobs,
      WorkRunner runner,
      TransactionTemplate transactions,
      ApplicationEventPublisher publisher,
      SyntheticProperties properties,
      Clock clock) {
    this.jobs = jobs;
    this.runner = runner;
    this.transactions = transactions;
    this.publisher = publisher;
    this.properties = properties;
    this.clock = clock;
  }

  public int maxRows() {
    return properties.maxRows();
  }

  /**
   * The first rows the spec generates, exactly as a job would write them.
   *
   * @throws IllegalArgumentException naming what is wrong with the spec
   */
  public List<GeneratedExample> preview(GenerationSpec spec) {
    requireValid(spec);
    SyntheticGenerator generator = new SyntheticGenerator(spec);
    return IntStream.range(0, Math.min(PREVIEW_ROWS, spec.count()))
        .mapToObj(generator::example)
        .toList();
  }

  /** The system prompt every row of the spec carries. */
  public String systemPrompt(GenerationSpec spec) {
    return SyntheticGenerator.systemPrompt(spec);
  }

  /**
   * Queues a job that generates the spec's rows into a new version of the dataset called {@code
   * datasetName} (its first if there is none). The job row and its queued run are written in one
   * transaction, so a started job is never lost.
   *
   * @throws IllegalArgumentException naming what is wrong with the name or the spec
   */
  public GenerationJob start(String datasetName, GenerationSpec spec) {
    String name = datasetName.strip();
    if (name.isEmpty()) {
      throw new IllegalArgumentException("Give the dataset a name");
    }
    if (name.length() > 200) {
      throw new IllegalArgumentException("A dataset name has at most 200 characters");
    }
    requireValid(spec);
    SignedInUser user = CurrentUser.require();
    UUID tenant = TenantContext.requireTenant();
    GenerationJob job =
        transactions.execute(
            status -> {
              GenerationJob saved =
                  jobs.save(
                      new GenerationJob(
                          name,
                          spec,
                          new ActingUser(user.userId(), user.username()),
                          clock.instant()));
              runner.submit(GenerationWork.KIND, saved.getId());
              return saved;
            });
    publisher.publishEvent(new GenerationProgressed(tenant, job.getId()));
    return job;
  }

  public List<GenerationJob> list() {
    return jobs.findAllByOrderByCreatedAtDesc();
  }

  public Optional<GenerationJob> find(UUID jobId) {
    return jobs.findById(jobId);
  }

  /**
   * Cancels a queued job at once; a running one stops within a fraction of a second and stores
   * nothing.
   */
  public GenerationJob cancel(UUID jobId) {
    GenerationJob job =
        transactions.execute(
            status -> {
              GenerationJob found =
                  jobs.findById(jobId)
                      .orElseThrow(() -> new IllegalArgumentException("No such generation job"));
              if (found.getStatus() == GenerationStatus.QUEUED) {
                found.cancel("Cancelled before it started", clock.instant());
                if (!runner.unschedule(GenerationWork.KIND, jobId)) {
                  found.requestCancel();
                }
              } else if (found.getStatus() == GenerationStatus.RUNNING) {
                found.requestCancel();
              }
              return jobs.save(found);
            });
    publisher.publishEvent(new GenerationProgressed(job.getTenantId(), job.getId()));
    return job;
  }

  private void requireValid(GenerationSpec spec) {
    String problem = spec.problem(properties.maxRows());
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }
}
