package dev.tuneforge.trainingnode.agent;

import dev.tuneforge.protocol.Heartbeat;
import dev.tuneforge.protocol.HeartbeatReply;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Tells the app every few seconds that the node lives and what it works on; the reply is how a
 * user's cancel, or the app's request to stop at a checkpoint, reaches the child. Failures are
 * logged once per outage, not once per beat.
 */
final class Heartbeater implements AutoCloseable {
  private final AppClient app;
  private final CurrentJob current;
  private final ScheduledExecutorService timer;
  private boolean failing;

  Heartbeater(AppClient app, CurrentJob current) {
    this.app = app;
    this.current = current;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> Thread.ofPlatform().daemon().name("heartbeat").unstarted(runnable));
  }

  void start(Duration interval) {
    timer.scheduleWithFixedDelay(this::beat, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  void beat() {
    UUID jobId = current.jobId();
    try {
      HeartbeatReply reply = app.heartbeat(new Heartbeat(jobId == null ? "idle" : "busy", jobId));
      if (failing) {
        Log.info("heartbeat reaches the app again");
        failing = false;
      }
      if (reply.cancelCurrentJob() && jobId != null && !current.cancelled()) {
        Log.info("the app cancelled job " + jobId + "; stopping its training process");
        current.cancel(jobId);
      }
      String stop = reply.stopCurrentJob();
      if (stop != null && jobId != null && current.stop(jobId, stop)) {
        Log.info("the app asked job " + jobId + " to stop at a checkpoint: " + stop);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      if (!failing) {
        Log.warn("heartbeat failed, will keep trying: " + e.getMessage());
        failing = true;
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
