package dev.tuneforge.app.synthetic;

import dev.tuneforge.app.account.CurrentUser;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.tenancy.TenantContext;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
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
  private final Scheduler scheduler;
  private final TransactionTemplate transactions;
  private final ApplicationEventPublisher publisher;
  private final SyntheticProperties properties;

  SyntheticDataService(
      GenerationJobRepository jobs,
      Scheduler scheduler,
      TransactionTemplate transactions,
      ApplicationEventPublisher publisher,
      SyntheticProperties properties) {
    this.jobs = jobs;
    this.scheduler = scheduler;
    this.transactions = transactions;
    this.publisher = publisher;
    this.properties = properties;
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
    return IntStream.range(0, Math.min(PREVIEW_ROWS, spec.count())).mapToObj(generator::example).toList();
  }

  /** The system prompt every row of the spec carries. */
  public String systemPrompt(GenerationSpec spec) {
    return SyntheticGenerator.systemPrompt(spec);
  }

  /**
   * Queues a job that generates the spec's rows into a new version of the dataset called {@code
   * datasetName} (its first if there is none). The job row and its Quartz job are written in one
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
    GenerationJob job = transactions.execute(status -> {
      GenerationJob saved = jobs.save(new GenerationJob(name, spec, user.userId(), user.username()));
      try {
        scheduler.scheduleJob(GenerationQuartzJob.detail(tenant, saved.getId()), GenerationQuartzJob.trigger(saved.getId(), Instant.now()));
      } catch (SchedulerException e) {
        throw new IllegalStateException("Could not queue the generation: " + e.getMessage(), e);
      }
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

  /** Cancels a queued job at once; a running one stops within a fraction of a second and stores nothing. */
  public GenerationJob cancel(UUID jobId) {
    GenerationJob job = transactions.execute(status -> {
      GenerationJob found = jobs.findById(jobId).orElseThrow(() -> new IllegalArgumentException("No such generation job"));
      if (found.getStatus() == GenerationStatus.QUEUED) {
        found.finish(GenerationStatus.CANCELLED, "Cancelled before it started");
        try {
          scheduler.deleteJob(GenerationQuartzJob.key(jobId));
        } catch (SchedulerException e) {
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
