package dev.tuneforge.app.serving;

import dev.tuneforge.protocol.GenerationChunk;
import dev.tuneforge.protocol.GenerationRequest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One generation as its caller waits for it, on the app replica that holds the caller's connection:
 * queued until a serving node takes it, then its chunks in order as the node posts them (to this
 * replica or, through the database, to another). A restart of this replica ends its callers'
 * connections; their rows are swept and their nodes told to stop.
 */
public final class Generation {
  private final GenerationRequest request;
  private final ServedModel model;
  private final String caller;
  private final long submittedNanos = System.nanoTime();
  private final Deque<GenerationChunk> ready = new ArrayDeque<>();
  private final TreeMap<Integer, GenerationChunk> early = new TreeMap<>();
  private final CountDownLatch settled = new CountDownLatch(1);
  private @Nullable UUID nodeId;
  private int nextIndex;
  private long lastChunkNanos;
  private boolean done;
  private boolean abandoned;

  Generation(GenerationRequest request, ServedModel model, String caller) {
    this.request = request;
    this.model = model;
    this.caller = caller;
  }

  public UUID id() {
    return request.id();
  }

  public ServedModel model() {
    return model;
  }

  GenerationRequest request() {
    return request;
  }

  String caller() {
    return caller;
  }

  synchronized void takenBy(UUID node) {
    nodeId = node;
    lastChunkNanos = System.nanoTime();
    notifyAll();
  }

  synchronized @Nullable UUID node() {
    return nodeId;
  }

  synchronized boolean isTaken() {
    return nodeId != null;
  }

  /** What became of a chunk a node posted. */
  enum Accepted {
    /** The caller went away, or the generation had ended: the node may stop. */
    REFUSED,
    TAKEN,
    /**
     * This chunk completed the answer (all before it have come): its last chunk is {@link #last}.
     */
    FINISHED
  }

  private @Nullable GenerationChunk last;

  /** Takes a chunk from its node: in order of {@code index}, a repeat dropped. */
  synchronized Accepted accept(GenerationChunk chunk) {
    if (abandoned || done) {
      return Accepted.REFUSED;
    }
    lastChunkNanos = System.nanoTime();
    if (chunk.index() >= nextIndex) {
      early.putIfAbsent(chunk.index(), chunk);
    }
    while (!early.isEmpty() && early.firstKey() == nextIndex) {
      GenerationChunk next = early.pollFirstEntry().getValue();
      ready.add(next);
      nextIndex++;
      if (next.isLast()) {
        done = true;
        last = next;
        early.clear();
      }
    }
    notifyAll();
    return done ? Accepted.FINISHED : Accepted.TAKEN;
  }

  /** The chunk that ended the answer, once it came. */
  synchronized @Nullable GenerationChunk last() {
    return last;
  }

  /**
   * The next chunk, waiting for it: a failed chunk when the node stopped sending for {@code
   * chunkTimeout}.
   *
   * @throws NoServingNodeException when no node took the generation within {@code pickupTimeout}
   */
  synchronized GenerationChunk next(Duration pickupTimeout, Duration chunkTimeout)
      throws InterruptedException {
    while (ready.isEmpty()) {
      long now = System.nanoTime();
      if (nodeId == null) {
        long left = submittedNanos + pickupTimeout.toNanos() - now;
        if (left <= 0) {
          abandoned = true;
          throw new NoServingNodeException(
              "No node serves now: no serving node took the request within "
                  + pickupTimeout.toSeconds()
                  + " s. An admin sets a node's serving policy on the nodes page.");
        }
        waitNanos(left);
      } else {
        long left = lastChunkNanos + chunkTimeout.toNanos() - now;
        if (left <= 0) {
          abandoned = true;
          return GenerationChunk.failed(
              nextIndex,
              "The serving node stopped answering for " + chunkTimeout.toSeconds() + " s");
        }
        waitNanos(left);
      }
    }
    return ready.poll();
  }

  /** Its replica is done with it: a complete answer is metered, or the generation ended else. */
  void settle() {
    settled.countDown();
  }

  /**
   * Waits until a complete answer is metered (so that a budget check after it sees its cost), at
   * most {@code wait}.
   */
  public void awaitSettled(Duration wait) throws InterruptedException {
    settled.await(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The caller went away: chunks that still come are refused, so the node can stop. */
  synchronized void abandon() {
    abandoned = true;
    notifyAll();
  }

  synchronized boolean isAbandoned() {
    return abandoned;
  }

  private void waitNanos(long nanos) throws InterruptedException {
    wait(Math.max(1, nanos / 1_000_000), 0);
  }
}
