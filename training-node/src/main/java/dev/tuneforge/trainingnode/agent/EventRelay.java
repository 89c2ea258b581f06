package dev.tuneforge.trainingnode.agent;

import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.JobEventBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends a job's events to the app in batches: at least every second, or as soon as 20 are waiting.
 * Events that could not be sent stay queued for the next try, up to a cap, so a short app restart
 * loses nothing and a long one cannot exhaust the agent's memory.
 */
final class EventRelay implements AutoCloseable {
  static final int BATCH_SIZE = 20;
  private static final int MAX_QUEUED = 10_000;
  private static final int FINAL_ATTEMPTS = 3;

  private final AppClient app;
  private final UUID jobId;
  private final List<JobEvent> queued = new ArrayList<>();
  private final ScheduledExecutorService flusher;
  private boolean failing;

  EventRelay(AppClient app, UUID jobId) {
    this.app = app;
    this.jobId = jobId;
    this.flusher =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> Thread.ofPlatform().daemon().name("events-" + jobId).unstarted(runnable));
    flusher.scheduleWithFixedDelay(this::flushQuietly, 1, 1, TimeUnit.SECONDS);
  }

  void add(JobEvent event) {
    boolean full;
    synchronized (queued) {
      if (queued.size() >= MAX_QUEUED) {
        queued.removeFirst();
      }
      queued.add(event);
      full = queued.size() >= BATCH_SIZE;
    }
    if (full) {
      flusher.execute(this::flushQuietly);
    }
  }

  /**
   * Sends every event queued so far and waits for that, up to {@code wait}, on the flusher thread
   * so that batches keep their order; false when not all of them could be sent.
   */
  boolean sendQueued(java.time.Duration wait) throws InterruptedException {
    try {
      return flusher.submit(this::flush).get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException
        | java.util.concurrent.TimeoutException
        | java.util.concurrent.RejectedExecutionException e) {
      return false;
    }
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Only ever runs on the flusher thread (or after it stopped), so batches keep their order. */
  private boolean flush() throws InterruptedException {
    while (true) {
      List<JobEvent> batch;
      synchronized (queued) {
        if (queued.isEmpty()) {
          return true;
        }
        batch = List.copyOf(queued.subList(0, Math.min(BATCH_SIZE, queued.size())));
      }
      try {
        app.events(jobId, new JobEventBatch(batch));
      } catch (java.io.IOException | RuntimeException e) {
        if (!failing) {
          Log.warn("cannot send events of job " + jobId + " yet: " + e.getMessage());
          failing = true;
        }
        return false;
      }
      failing = false;
      synchronized (queued) {
        queued.subList(0, batch.size()).clear();
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    flusher.shutdown();
    if (!flusher.awaitTermination(30, TimeUnit.SECONDS)) {
      flusher.shutdownNow();
    }
    for (int attempt = 1; attempt <= FINAL_ATTEMPTS; attempt++) {
      if (flush()) {
        return;
      }
      Thread.sleep(1000L * attempt);
    }
    synchronized (queued) {
      Log.warn("dropping " + queued.size() + " unsent events of job " + jobId);
      queued.clear();
    }
  }
}
