package dev.tuneforge.app.serving;

import dev.tuneforge.protocol.GenerationChunk;
import dev.tuneforge.protocol.GenerationPoll;
import dev.tuneforge.protocol.GenerationRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Routes generations to serving nodes, in memory: a queue of generations no node has taken yet,
 * handed to the nodes that poll for work, and the generations nodes run, by id, so that their
 * chunks reach the waiting callers. A poll takes generations of one base model, those of a base the
 * node has loaded first, oldest first; a restart of the app loses both.
 */
final class GenerationRouter {
  private final Object lock = new Object();
  private final LinkedList<Generation> queued = new LinkedList<>();
  private final Map<UUID, Generation> running = new ConcurrentHashMap<>();

  /** Queues a generation for the next serving node that polls. */
  Generation submit(GenerationRequest request, ServedModel model, String caller) {
    Generation generation = new Generation(request, model, caller);
    synchronized (lock) {
      queued.add(generation);
      lock.notifyAll();
    }
    return generation;
  }

  /**
   * Up to {@code poll.capacity()} generations for this node, waiting up to {@code wait} for the
   * first; empty when none came.
   */
  List<GenerationRequest> poll(UUID nodeId, GenerationPoll poll, Duration wait)
      throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (lock) {
      while (true) {
        dropAbandoned();
        List<Generation> taken = take(poll);
        if (!taken.isEmpty()) {
          List<GenerationRequest> requests = new ArrayList<>();
          for (Generation generation : taken) {
            generation.takenBy(nodeId);
            running.put(generation.id(), generation);
            requests.add(generation.request());
          }
          return requests;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return List.of();
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  private List<Generation> take(GenerationPoll poll) {
    if (queued.isEmpty()) {
      return List.of();
    }
    String base =
        queued.stream()
            .map(g -> g.request().baseModel().cacheKey())
            .filter(poll.loadedBaseModels()::contains)
            .findFirst()
            .orElse(queued.getFirst().request().baseModel().cacheKey());
    List<Generation> taken = new ArrayList<>();
    for (Iterator<Generation> it = queued.iterator();
        it.hasNext() && taken.size() < poll.capacity(); ) {
      Generation generation = it.next();
      if (generation.request().baseModel().cacheKey().equals(base)) {
        taken.add(generation);
        it.remove();
      }
    }
    return taken;
  }

  private void dropAbandoned() {
    queued.removeIf(Generation::isAbandoned);
    running.values().removeIf(Generation::isAbandoned);
  }

  /**
   * A chunk from the node running the generation; refused for another node's generation, an unknown
   * one, or one whose caller went away.
   *
   * @param finished called once, with the generation, when its answer is complete
   */
  Generation.Accepted chunk(
      UUID nodeId, UUID generationId, GenerationChunk chunk, Consumer<Generation> finished) {
    Generation generation = running.get(generationId);
    if (generation == null || !Objects.equals(generation.node(), nodeId)) {
      return Generation.Accepted.REFUSED;
    }
    Generation.Accepted accepted = generation.accept(chunk);
    if (accepted != Generation.Accepted.TAKEN) {
      running.remove(generationId);
    }
    if (accepted == Generation.Accepted.FINISHED) {
      finished.accept(generation);
    }
    return accepted;
  }

  /** How many generations wait for a node and how many nodes run now. */
  int[] sizes() {
    synchronized (lock) {
      return new int[] {queued.size(), running.size()};
    }
  }
}
