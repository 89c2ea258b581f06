package dev.tuneforge.trainingnode.agent;

import dev.tuneforge.protocol.Gpu;
import dev.tuneforge.protocol.Heartbeat;
import dev.tuneforge.protocol.HeartbeatReply;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Tells the app every few seconds that the node lives and what it works on; the reply is how a
 * user's cancel, or the app's request to stop at a checkpoint, reaches the child. Failures are
 * logged once per outage, not once per beat.
 */
final class Heartbeater implements AutoCloseable {
  private final AppClient app;
  private final Supplier<List<Gpu>> gpus;
  private final List<JobSlot> slots;
  private final ScheduledExecutorService timer;
  private final Consumer<HeartbeatReply> replies;
  private boolean failing;

  /** {@code gpus} reads the GPUs' state at each beat. */
  Heartbeater(AppClient app, Supplier<List<Gpu>> gpus, List<JobSlot> slots) {
    this(app, gpus, slots, reply -> {});
  }

  /** As {@link #Heartbeater(AppClient, Supplier, List)}; {@code replies} sees every reply. */
  Heartbeater(
      AppClient app,
      Supplier<List<Gpu>> gpus,
      List<JobSlot> slots,
      Consumer<HeartbeatReply> replies) {
    this.replies = replies;
    this.app = app;
    this.gpus = gpus;
    this.slots = List.copyOf(slots);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> Thread.ofPlatform().daemon().name("heartbeat").unstarted(runnable));
  }

  void start(Duration interval) {
    timer.scheduleWithFixedDelay(this::beat, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One heartbeat per running job, so each job's lease is renewed and each reply reaches it. */
  void beat() {
    try {
      List<Gpu> now = gpus.get();
      boolean busy = false;
      for (JobSlot slot : slots) {
        UUID jobId = slot.current().jobId();
        if (jobId != null) {
          busy = true;
          HeartbeatReply reply = app.heartbeat(new Heartbeat("busy", jobId, now));
          replies.accept(reply);
          act(slot.current(), jobId, reply);
        }
      }
      if (!busy) {
        replies.accept(app.heartbeat(new Heartbeat("idle", null, now)));
      }
      if (failing) {
        Log.info("heartbeat reaches the app again");
        failing = false;
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

  private static void act(CurrentJob current, UUID jobId, HeartbeatReply reply) {
    if (reply.cancelCurrentJob() && !current.cancelled()) {
      Log.info("the app cancelled job " + jobId + "; stopping its training process");
      current.cancel(jobId);
    }
    String stop = reply.stopCurrentJob();
    if (stop != null && current.stop(jobId, stop)) {
      Log.info("the app asked job " + jobId + " to stop at a checkpoint: " + stop);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
