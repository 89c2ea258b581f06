package dev.tuneforge.app.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.protocol.GenerationChunk;
import dev.tuneforge.protocol.GenerationPoll;
import dev.tuneforge.protocol.GenerationRequest;
import dev.tuneforge.protocol.ModelFiles;
import dev.tuneforge.protocol.PromptMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Routing in memory: a generation nobody takes answers "no node serves now"; a poll takes
 * generations of one base (a loaded one first) up to the node's capacity; chunks reach the caller
 * in order whatever order they come in, a repeat once; only the node that took a generation feeds
 * it, and a caller that went away refuses what still comes.
 */
class GenerationRouterTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private final GenerationRouter router = new GenerationRouter();
  private final UUID node = UUID.randomUUID();

  @Test
  void aGenerationNoNodeTakesAnswersNoNodeServesNow() {
    Generation generation = submit("models/a/", null);
    long start = System.nanoTime();
    assertThatThrownBy(() -> generation.next(Duration.ofMillis(200), WAIT))
        .isInstanceOf(NoServingNodeException.class)
        .hasMessageContaining("No node serves now");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(200));
    assertThat(generation.isAbandoned()).as("dropped from the queue").isTrue();
  }

  @Test
  void aPollTakesOneBaseLoadedFirstUpToItsCapacity() throws Exception {
    Generation a1 = submit("models/a/", null);
    Generation b1 = submit("models/b/", "job-1");
    Generation b2 = submit("models/b/", "job-2");
    Generation b3 = submit("models/b/", null);

    List<GenerationRequest> taken =
        router.poll(node, new GenerationPoll(List.of("models/b/"), List.of(), 2), WAIT);
    assertThat(taken).extracting(GenerationRequest::id).containsExactly(b1.id(), b2.id());
    assertThat(router.poll(node, new GenerationPoll(List.of(), List.of(), 4), WAIT))
        .extracting(GenerationRequest::id)
        .containsExactly(a1.id());
    assertThat(router.poll(node, new GenerationPoll(List.of(), List.of(), 4), WAIT))
        .extracting(GenerationRequest::id)
        .containsExactly(b3.id());
    assertThat(
            router.poll(node, new GenerationPoll(List.of(), List.of(), 4), Duration.ofMillis(50)))
        .isEmpty();
  }

  @Test
  void chunksReachTheCallerInOrderAndTheEndIsMeteredOnce() throws Exception {
    Generation generation = submit("models/a/", "job-1");
    router.poll(node, new GenerationPoll(List.of(), List.of(), 1), WAIT);
    List<Generation> finished = new ArrayList<>();
    GenerationChunk last =
        GenerationChunk.last(2, "!", 1, GenerationChunk.STOP, new GenerationChunk.Usage(7, 3));
    assertThat(router.chunk(node, generation.id(), last, finished::add))
        .isEqualTo(Generation.Accepted.TAKEN);
    router.chunk(node, generation.id(), GenerationChunk.text(0, "Hel", 1), finished::add);
    router.chunk(node, generation.id(), GenerationChunk.text(0, "Hel", 1), finished::add);
    assertThat(finished).isEmpty();
    assertThat(router.chunk(node, generation.id(), GenerationChunk.text(1, "lo", 1), finished::add))
        .isEqualTo(Generation.Accepted.FINISHED);
    assertThat(router.chunk(node, generation.id(), last, finished::add))
        .as("a repeat of the last chunk after the end")
        .isEqualTo(Generation.Accepted.REFUSED);

    StringBuilder text = new StringBuilder();
    GenerationChunk chunk;
    do {
      chunk = generation.next(WAIT, WAIT);
      text.append(chunk.delta());
    } while (!chunk.isLast());
    assertThat(text).hasToString("Hello!");
    assertThat(chunk.usage()).isEqualTo(new GenerationChunk.Usage(7, 3));
    assertThat(finished).containsExactly(generation);
  }

  @Test
  void onlyTheTakingNodeFeedsAGenerationAndAnAbandonedOneRefuses() throws Exception {
    Generation generation = submit("models/a/", null);
    router.poll(node, new GenerationPoll(List.of(), List.of(), 1), WAIT);
    assertThat(
            router.chunk(
                UUID.randomUUID(), generation.id(), GenerationChunk.text(0, "x", 1), g -> {}))
        .isEqualTo(Generation.Accepted.REFUSED);
    generation.abandon();
    assertThat(router.chunk(node, generation.id(), GenerationChunk.text(0, "x", 1), g -> {}))
        .isEqualTo(Generation.Accepted.REFUSED);
  }

  @Test
  void aTakenGenerationWhoseNodeFallsSilentFailsWithTheReason() throws Exception {
    Generation generation = submit("models/a/", null);
    router.poll(node, new GenerationPoll(List.of(), List.of(), 1), WAIT);
    GenerationChunk failed = generation.next(WAIT, Duration.ofMillis(100));
    assertThat(failed.error()).contains("stopped answering");
  }

  private Generation submit(String base, @Nullable String adapter) {
    GenerationRequest request =
        GenerationRequest.chat(
            UUID.randomUUID(),
            new ModelFiles(base, Map.of("config.json", "http://x/config.json")),
            adapter == null ? null : new ModelFiles(adapter, Map.of()),
            List.of(new PromptMessage("user", "hi")),
            16,
            0);
    ServedModel model =
        new ServedModel(
            "m", UUID.randomUUID(), UUID.randomUUID(), "base", null, request.baseModel(), null);
    return router.submit(request, model, "alice");
  }
}
