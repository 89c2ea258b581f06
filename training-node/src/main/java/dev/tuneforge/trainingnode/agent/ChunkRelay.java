package dev.tuneforge.trainingnode.agent;

import dev.tuneforge.protocol.GenerationChunk;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * Posts one generation's chunks to the app in order, on its own virtual thread so that a slow post
 * never holds up the serving child or the other generations. Chunks that pile up while a post is
 * under way go out as one (their text joined, their tokens added), numbered afresh. When the app
 * answers that nobody waits any more, the generation is cancelled.
 */
final class ChunkRelay {
  private static final int ATTEMPTS = 3;

  private final AppClient app;
  private final UUID id;
  private final Consumer<UUID> abandoned;
  private final LinkedBlockingQueue<GenerationChunk> pending = new LinkedBlockingQueue<>();
  private int index;

  private ChunkRelay(AppClient app, UUID id, Consumer<UUID> abandoned) {
    this.app = app;
    this.id = id;
    this.abandoned = abandoned;
  }

  /** A relay for generation {@code id}; {@code abandoned} is told when the app stops waiting. */
  static ChunkRelay start(AppClient app, UUID id, Consumer<UUID> abandoned) {
    ChunkRelay relay = new ChunkRelay(app, id, abandoned);
    Thread.ofVirtual().name("chunks-" + id).start(relay::send);
    return relay;
  }

  void offer(GenerationChunk chunk) {
    pending.add(chunk);
  }

  private void send() {
    try {
      while (true) {
        List<GenerationChunk> batch = new ArrayList<>();
        batch.add(pending.take());
        pending.drainTo(batch);
        GenerationChunk merged = merge(batch);
        if (!post(merged)) {
          abandoned.accept(id);
          return;
        }
        if (merged.isLast()) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private GenerationChunk merge(List<GenerationChunk> batch) {
    StringBuilder delta = new StringBuilder();
    int tokens = 0;
    GenerationChunk last = batch.getLast();
    for (GenerationChunk chunk : batch) {
      delta.append(chunk.delta());
      tokens += chunk.tokens();
    }
    return new GenerationChunk(
        index++, delta.toString(), tokens, last.finishReason(), last.usage(), last.error());
  }

  private boolean post(GenerationChunk chunk) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return app.generationChunk(id, chunk);
      } catch (IOException | RuntimeException e) {
        if (attempt == ATTEMPTS) {
          Log.warn("cannot post a chunk of generation " + id + ", giving it up: " + e.getMessage());
          return false;
        }
        Thread.sleep(500L * attempt);
      }
    }
  }
}
