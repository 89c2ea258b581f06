package dev.tuneforge.trainingnode.agent;

import dev.tuneforge.protocol.CheckpointUpload;
import dev.tuneforge.protocol.CheckpointUrls;
import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.JobFolder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Uploads each checkpoint the child announces ({@code checkpoint step-{n}}) while training goes on:
 * one at a time and in order, on a thread of its own. A checkpoint counts for the app only once all
 * its files are up and {@code complete} was called. A checkpoint that cannot be uploaded is
 * reported as a job event; the job itself carries on, it only risks more lost steps.
 */
final class CheckpointUploader implements AutoCloseable {
  private static final Pattern CUE = Pattern.compile("checkpoint (\\S+)");
  private static final int ATTEMPTS = 3;
  private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
  private static final Duration MAX_WAIT = Duration.ofMinutes(30);
  private static final Duration EVENTS_FIRST = Duration.ofSeconds(10);

  private final AppClient app;
  private final Transfers transfers;
  private final UUID jobId;
  private final Path checkpoints;
  private final EventRelay relay;
  private final ExecutorService uploads;
  private final Set<Integer> completed = new ConcurrentSkipListSet<>();

  CheckpointUploader(
      AppClient app, Transfers transfers, UUID jobId, Path jobDir, EventRelay relay) {
    this.app = app;
    this.transfers = transfers;
    this.jobId = jobId;
    this.checkpoints = jobDir.resolve(JobFolder.CHECKPOINTS);
    this.relay = relay;
    this.uploads =
        Executors.newSingleThreadExecutor(
            runnable ->
                Thread.ofPlatform().daemon().name("checkpoints-" + jobId).unstarted(runnable));
  }

  /** Queues the upload when the event is the child's cue that a checkpoint folder is complete. */
  void accept(JobEvent event) {
    if (event.type() != JobEvent.Type.LOG || event.message() == null) {
      return;
    }
    Matcher cue = CUE.matcher(event.message());
    int step = cue.matches() ? JobFolder.checkpointStep(cue.group(1)) : -1;
    if (step >= 0) {
      uploads.execute(() -> upload(step));
    }
  }

  private void upload(int step) {
    String failure = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        uploadOnce(step);
        completed.add(step);
        Log.info("job " + jobId + ": checkpoint " + JobFolder.checkpointName(step) + " uploaded");
        return;
      } catch (AppResponseException e) {
        failure = e.getMessage();
        if (e.isPermanent()) {
          break;
        }
      } catch (IOException | RuntimeException e) {
        failure = e.getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (attempt < ATTEMPTS) {
        try {
          Thread.sleep(RETRY_PAUSE.toMillis() * attempt);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    String name = JobFolder.checkpointName(step);
    Log.warn("job " + jobId + ": could not upload checkpoint " + name + ": " + failure);
    relay.add(
        JobEvent.log(
            "could not upload checkpoint "
                + name
                + " ("
                + failure
                + "); training goes on, a resume would start from an earlier checkpoint"));
  }

  private void uploadOnce(int step) throws IOException, InterruptedException {
    Path folder = checkpoints.resolve(JobFolder.checkpointName(step));
    List<String> files =
        Stream.concat(
                JobFolder.LORA_CHECKPOINT_FILES.stream(), JobFolder.FULL_CHECKPOINT_FILES.stream())
            .distinct()
            .filter(f -> Files.isRegularFile(folder.resolve(f)))
            .toList();
    if (files.isEmpty()) {
      throw new IOException("no checkpoint files in " + folder);
    }
    CheckpointUrls urls = app.checkpointUrls(jobId, step, new CheckpointUpload(files));
    for (String file : files) {
      String url = urls.urls().get(file);
      if (url == null) {
        throw new IOException("the app gave no upload URL for " + file);
      }
      transfers.upload(folder.resolve(file), URI.create(url));
    }
    // The app gets this step's metrics (queued before the checkpoint's cue) before the checkpoint a
    // resume starts from, so a node killed between the two loses no step's metrics.
    relay.sendQueued(EVENTS_FIRST);
    app.checkpointComplete(jobId, step);
  }

  /** Whether checkpoint {@code step} is in storage and recorded by the app. */
  boolean completed(int step) {
    return completed.contains(step);
  }

  /** Waits for the queued uploads, so the result is reported only after the last checkpoint. */
  @Override
  public void close() throws InterruptedException {
    uploads.shutdown();
    if (!uploads.awaitTermination(MAX_WAIT.toMinutes(), TimeUnit.MINUTES)) {
      Log.warn("job " + jobId + ": gave up waiting for checkpoint uploads");
      uploads.shutdownNow();
    }
  }
}
