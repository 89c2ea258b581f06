package dev.tuneforge.trainingnode.agent;

import dev.tuneforge.protocol.JobFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The job this node is working on, shared by the lease loop (which runs it), the heartbeat (which
 * reports it and may cancel or stop it) and the shutdown hook (which kills it).
 */
final class CurrentJob {
  private static final long GRACE_SECONDS = 10;

  private @Nullable UUID jobId;
  private @Nullable Process process;
  private boolean cancelled;
  private @Nullable Path jobDir;
  private @Nullable String stopReason;

  synchronized void begin(UUID id) {
    jobId = id;
    process = null;
    cancelled = false;
    jobDir = null;
    stopReason = null;
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
    jobDir = null;
    stopReason = null;
  }

  /**
   * Where the job's training process will run; a stop that came earlier (while inputs were
   * downloading) is passed on here, before the process starts.
   */
  synchronized void workIn(Path dir) throws IOException {
    jobDir = dir;
    if (stopReason != null) {
      writeStopFile(dir, stopReason);
    }
  }

  /**
   * Asks the named job to stop at its next checkpoint: the training process finds the reason in the
   * file {@value JobFolder#STOP} of its job folder after each optimiser step. Returns false when
   * the request is not new or is for another job.
   */
  synchronized boolean stop(UUID id, String reason) {
    if (!id.equals(jobId) || stopReason != null) {
      return false;
    }
    stopReason = reason;
    if (jobDir != null) {
      try {
        writeStopFile(jobDir, reason);
      } catch (IOException e) {
        Log.warn("could not ask job " + id + " to stop: " + e.getMessage());
      }
    }
    return true;
  }

  private static void writeStopFile(Path dir, String reason) throws IOException {
    Path temporary = dir.resolve(JobFolder.STOP + ".tmp");
    Files.writeString(temporary, reason, StandardCharsets.UTF_8);
    Files.move(
        temporary,
        dir.resolve(JobFolder.STOP),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
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
