package dev.tuneforge.app.synthetic;

import dev.tuneforge.app.account.AccountService;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.dataset.DatasetRejected;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.tenancy.TenantContext;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs one generation job: writes its rows to a temporary JSONL file, reporting progress and
 * watching for cancellation, then stores the file through {@link DatasetService} as the user
 * who started the job, so it gets the same validation and quality report as an upload.
 */
@Component
class GenerationRunner {
  private static final Logger log = LoggerFactory.getLogger(GenerationRunner.class);
  private static final long PROGRESS_EVERY_NANOS = 250_000_000L;

  private final GenerationJobRepository jobs;
  private final DatasetService datasets;
  private final AccountService accounts;
  private final TransactionTemplate transactions;
  private final ApplicationEventPublisher publisher;
  private final Semaphore running;

  GenerationRunner(
      GenerationJobRepository jobs,
      DatasetService datasets,
      AccountService accounts,
      TransactionTemplate transactions,
      ApplicationEventPublisher publisher,
      SyntheticProperties properties) {
    this.jobs = jobs;
    this.datasets = datasets;
    this.accounts = accounts;
    this.transactions = transactions;
    this.publisher = publisher;
    this.running = new Semaphore(Math.max(1, properties.maxConcurrent()));
  }

  /** Runs the job unless this instance is already running as many as allowed; false then. */
  boolean runIfFree(UUID tenantId, UUID jobId) {
    if (!running.tryAcquire()) {
      return false;
    }
    try {
      TenantContext.runAs(tenantId, () -> run(tenantId, jobId));
      return true;
    } finally {
      running.release();
    }
  }

  private void run(UUID tenantId, UUID jobId) {
    GenerationJob job = update(tenantId, jobId, found -> {
      if (found.isCancelRequested()) {
        found.finish(GenerationStatus.CANCELLED, "Cancelled before it started");
      } else if (!found.getStatus().finished()) {
        found.start();
      }
    });
    if (job == null || job.getStatus() != GenerationStatus.RUNNING) {
      return;
    }
    Path file = null;
    try {
      SignedInUser owner = owner(job);
      file = Files.createTempFile("tuneforge-synthetic-", ".jsonl");
      if (!write(tenantId, job, file)) {
        update(tenantId, jobId, found -> found.finish(GenerationStatus.CANCELLED, "Cancelled after " + found.getRowsDone() + " rows"));
        return;
      }
      Path rows = file;
      DatasetSummary stored = as(owner, () -> datasets.upload(job.getDatasetName(), fileName(job), rows));
      update(tenantId, jobId, found -> found.succeed(stored.versionId()));
      log.info("Generation {} stored {} rows as {}", jobId, stored.rows(), stored.label());
    } catch (DatasetRejected rejected) {
      String problems = String.join("; ", rejected.report().problems());
      fail(tenantId, jobId, "The dataset was refused: " + rejected.getMessage() + (problems.isEmpty() ? "" : " (" + problems + ")"));
    } catch (RuntimeException | IOException e) {
      log.warn("Generation {} failed", jobId, e);
      fail(tenantId, jobId, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          file.toFile().deleteOnExit();
        }
      }
    }
  }

  /** Writes every row; false if a cancellation was asked for on the way. */
  private boolean write(UUID tenantId, GenerationJob job, Path file) throws IOException {
    SyntheticGenerator generator = new SyntheticGenerator(job.spec());
    long lastReport = System.nanoTime();
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < job.getRowCount(); i++) {
        out.write(generator.row(i));
        out.write('\n');
        if (System.nanoTime() - lastReport > PROGRESS_EVERY_NANOS) {
          int done = i + 1;
          GenerationJob current = update(tenantId, job.getId(), found -> found.progress(done));
          if (current == null || current.isCancelRequested()) {
            return false;
          }
          lastReport = System.nanoTime();
        }
      }
    }
    update(tenantId, job.getId(), found -> found.progress(job.getRowCount()));
    return true;
  }

  /** The user who started the job, as signed in; the dataset is stored in their name. */
  private SignedInUser owner(GenerationJob job) {
    try {
      if (accounts.loadUserByUsername(job.getCreatedByUsername()) instanceof SignedInUser user
          && user.userId().equals(job.getCreatedBy())
          && job.getTenantId().equals(user.tenantId())
          && user.enabled()) {
        return user;
      }
    } catch (UsernameNotFoundException e) {
      // reported below
    }
    throw new IllegalStateException("The user who started this generation (" + job.getCreatedByUsername()
        + ") no longer exists or is disabled");
  }

  void fail(UUID tenantId, UUID jobId, String reason) {
    TenantContext.runAs(tenantId, () -> update(tenantId, jobId, found -> found.finish(GenerationStatus.FAILED, reason)));
  }

  private @Nullable GenerationJob update(UUID tenantId, UUID jobId, Consumer<GenerationJob> change) {
    GenerationJob saved = transactions.execute(status -> jobs.findById(jobId).map(found -> {
      if (!found.getStatus().finished()) {
        change.accept(found);
      }
      return jobs.save(found);
    }).orElse(null));
    if (saved != null) {
      publisher.publishEvent(new GenerationProgressed(tenantId, jobId));
    }
    return saved;
  }

  private static <T> T as(SignedInUser user, Supplier<T> work) {
    SecurityContext previous = SecurityContextHolder.getContext();
    SecurityContext context = SecurityContextHolder.createEmptyContext();
    context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities()));
    SecurityContextHolder.setContext(context);
    try {
      return work.get();
    } finally {
      SecurityContextHolder.setContext(previous);
    }
  }

  private static String fileName(GenerationJob job) {
    return "synthetic-" + job.getDocumentKind().name().toLowerCase(Locale.ROOT).replace('_', '-')
        + "-seed" + job.getSeed() + ".jsonl";
  }

}
