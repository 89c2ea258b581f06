package dev.tuneforge.app.synthetic;

import dev.tuneforge.app.dataset.DatasetRejected;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.work.TenantWork;
import dev.tuneforge.app.work.WorkContext;
import dev.tuneforge.app.work.WorkFailed;
import dev.tuneforge.app.work.WorkKind;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Runs one generation job: writes its rows to a temporary JSONL file, reporting progress and
 * watching for cancellation, then stores the file through {@link DatasetService} as the user who
 * started the job, so it gets the same validation and quality report as an upload. Generation is
 * deterministic, so a run recovered after a restart writes the same rows.
 */
@Component
class GenerationWork implements TenantWork<GenerationJob> {
  static final WorkKind<GenerationJob> KIND = WorkKind.of("synthetic", GenerationJob.class);
  private static final Logger log = LoggerFactory.getLogger(GenerationWork.class);

  private final DatasetService datasets;
  private final ApplicationEventPublisher publisher;
  private final SyntheticProperties properties;

  GenerationWork(
      DatasetService datasets,
      ApplicationEventPublisher publisher,
      SyntheticProperties properties) {
    this.datasets = datasets;
    this.publisher = publisher;
    this.properties = properties;
  }

  @Override
  public WorkKind<GenerationJob> kind() {
    return KIND.limitedTo(properties.maxConcurrent(), Duration.ofSeconds(5));
  }

  @Override
  public void run(WorkContext<GenerationJob> work) throws IOException {
    GenerationJob job = work.run();
    work.actingUser();
    Path file = Files.createTempFile("tuneforge-synthetic-", ".jsonl");
    try {
      if (!write(work, file)) {
        work.update(
            found -> found.cancel("Cancelled after " + found.getRowsDone() + " rows", work.now()));
        return;
      }
      DatasetSummary stored =
          work.asActingUser(() -> datasets.upload(job.getDatasetName(), fileName(job), file));
      work.update(found -> found.succeed(stored.versionId(), work.now()));
      log.info("Generation {} stored {} rows as {}", job.getId(), stored.rows(), stored.label());
    } catch (DatasetRejected rejected) {
      String problems = String.join("; ", rejected.report().problems());
      throw new WorkFailed(
          "The dataset was refused: "
              + rejected.getMessage()
              + (problems.isEmpty() ? "" : " (" + problems + ")"));
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        file.toFile().deleteOnExit();
      }
    }
  }

  /** Writes every row; false if a cancellation was asked for on the way. */
  private boolean write(WorkContext<GenerationJob> work, Path file) throws IOException {
    GenerationJob job = work.run();
    SyntheticGenerator generator = new SyntheticGenerator(job.spec());
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < job.getRowCount(); i++) {
        out.write(generator.row(i));
        out.write('\n');
        int done = i + 1;
        if (!work.progress(found -> found.progress(done))) {
          return false;
        }
      }
    }
    work.update(found -> found.progress(job.getRowCount()));
    return true;
  }

  @Override
  public void changed(GenerationJob job) {
    publisher.publishEvent(new GenerationProgressed(job.getTenantId(), job.getId()));
  }

  private static String fileName(GenerationJob job) {
    return "synthetic-"
        + job.getDocumentKind().name().toLowerCase(Locale.ROOT).replace('_', '-')
        + "-seed"
        + job.getSeed()
        + ".jsonl";
  }
}
