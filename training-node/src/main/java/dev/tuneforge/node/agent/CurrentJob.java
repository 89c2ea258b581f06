package dev.tuneforge.node.agent;

import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The job this node is working on, shared by the lease loop (which runs it), the heartbeat
 * (which reports it and may cancel it) and the shutdown hook (which kills it).
 */
final class CurrentJob {
  private static final long GRACE_SECONDS = 10;

  private @Nullable UUID jobId;
  private @Nullable Process process;
  private boolean cancelled;

  synchronized void begin(UUID id) {
    jobId = id;
    process = null;
    cancelled = false;
  }

  synchronized @Nullable UUID jobId() {
    return jobId;
  }

  synchronized boolean cancelled() {
    return cancelled;
  }

  /** A cancel that arrived while inputs were still downloading takes effect here. */
  void attach(Process started) {
    boolean alreadyCancelled;
    synchronized (this) {
      process = started;
      alreadyCancelled = cancelled;
    }
    if (alreadyCancelled) {
      terminate(started);
    }
  }

  synchronized void end() {
    jobId = null;
    process = null;
    cancelled = false;
  }

  /** Cancels only the named job, so a late cancel for a finished job cannot hit the next one. */
  void cancel(UUID id) {
    Process toKill;
    synchronized (this) {
      if (!id.equals(jobId)) {
        return;
      }
      cancelled = true;
      toKill = process;
    }
    if (toKill != null) {
      // off the caller's thread: the heartbeat must keep beating while the child winds down
      Thread.ofVirtual().name("cancel-" + id).start(() -> terminate(toKill));
    }
  }

  void kill() {
    Process toKill;
    synchronized (this) {
      toKill = process;
    }
    if (toKill != null) {
      terminate(toKill);
    }
  }

  private static void terminate(Process child) {
    child.descendants().forEach(ProcessHandle::destroy);
    child.destroy();
    try {
      if (!child.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
        child.descendants().forEach(ProcessHandle::destroyForcibly);
        child.destroyForcibly();
      }
    } catch (InterruptedException e) {
      child.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
