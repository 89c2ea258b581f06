package dev.tuneforge.trainingnode.serve;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.tuneforge.chat.ChatEncoder;
import dev.tuneforge.chat.ChatMessage;
import dev.tuneforge.protocol.LoraSettings;
import dev.tuneforge.trainingnode.generate.GenerationResult;
import dev.tuneforge.trainingnode.generate.Generator;
import dev.tuneforge.trainingnode.generate.LoraFixtures;
import dev.tuneforge.trainingnode.generate.PeftAdapter;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.model.TestEngine;
import dev.tuneforge.trainingnode.train.PeftAdapterWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingEngineTest {

  static {
    TestEngine.useOneThread();
  }

  /** As the cached decoder's own tests compare logits with the model's full forward pass. */
  static final double TOLERANCE = 1e-4;

  @TempDir static Path dir;
  static Path model;
  static Path adapterA;
  static Path adapterB;
  static ServingEngine engine;

  static final List<ChatMessage> RECEIPT =
      List.of(
          ChatMessage.of("system", "Extract the total."),
          ChatMessage.of("user", "TOTAL 12.50 CASH"));
  static final List<ChatMessage> SHORT = List.of(ChatMessage.of("user", "hi"));
  static final List<ChatMessage> LONG =
      List.of(ChatMessage.of("user", "a much longer question about receipts and their totals"));

  @BeforeAll
  static void writeModelAndTwoTenantsAdapters() throws IOException {
    model = dir.resolve("model");
    DemoModelWriter.write(model, 11);
    adapterA = writeAdapter("a", LoraFixtures.ALL_PROJECTIONS, 7);
    adapterB =
        writeAdapter("b", new LoraSettings(2, 8, 0, List.of("q_proj", "v_proj", "up_proj")), 8);
    engine = ServingEngine.builder().setModelDirectory(model).build();
  }

  static Path writeAdapter(String name, LoraSettings lora, long seed) throws IOException {
    Path folder = dir.resolve(name);
    try (LlamaModel trained = LlamaModel.load(model, lora, seed)) {
      LoraFixtures.randomizeLoraB(trained, seed);
      PeftAdapterWriter.write(folder, lora, "demo", trained.exportLora());
    }
    return folder;
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  /** What the existing generator gives for this prompt with this adapter (or none) alone. */
  static GenerationResult alone(@Nullable Path adapter, List<ChatMessage> prompt, int tokens)
      throws IOException {
    try (LlamaModel loaded =
            adapter == null ? PeftAdapter.loadBase(model) : PeftAdapter.load(model, adapter);
        HuggingFaceTokenizer tokenizer = ChatEncoder.loadTokenizer(model)) {
      return Generator.builder()
          .setModel(loaded)
          .setTokenizer(tokenizer)
          .optModelDirectory(model)
          .optEosTokenIds(Set.of())
          .optMaxNewTokens(tokens)
          .build()
          .generate(prompt);
    }
  }

  /** Logits of every position of prompt + answer from the model's training forward pass. */
  static float[][] fullLogits(@Nullable Path adapter, long[] prompt, long[] answer)
      throws IOException {
    long[] ids = Arrays.copyOf(prompt, prompt.length + answer.length);
    System.arraycopy(answer, 0, ids, prompt.length, answer.length);
    try (LlamaModel loaded =
        adapter == null ? PeftAdapter.loadBase(model) : PeftAdapter.load(model, adapter)) {
      return LoraFixtures.fullLogits(loaded, ids);
    }
  }

  static Completion greedy(List<ChatMessage> prompt, @Nullable Path adapter, int tokens) {
    return Completion.greedy(
        engine.encodeChat(prompt), adapter == null ? null : adapter.toString(), adapter, tokens);
  }

  @Test
  void twoAdaptersAndTheBaseBatchedTogetherEachAnswerAsIfAlone() throws IOException {
    record Case(@Nullable Path adapter, List<ChatMessage> prompt, int tokens) {}
    List<Case> cases =
        List.of(
            new Case(adapterA, RECEIPT, 12),
            new Case(adapterB, SHORT, 16),
            new Case(null, LONG, 8),
            new Case(adapterA, SHORT, 10));
    List<Collected> streams = new ArrayList<>();
    for (Case c : cases.subList(0, 3)) {
      streams.add(submit(greedy(c.prompt(), c.adapter(), c.tokens())));
    }
    engine.step();
    assertThat(engine.running()).as("all three admitted into one batch").isEqualTo(3);
    engine.step();
    engine.step();
    // a fourth joins the running batch between decoding steps
    streams.add(submit(greedy(cases.get(3).prompt(), cases.get(3).adapter(), 10)));
    engine.step();
    assertThat(engine.running()).isEqualTo(4);
    engine.runUntilIdle();

    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      Collected served = streams.get(i);
      GenerationResult expected = alone(c.adapter(), c.prompt(), c.tokens());
      assertThat(served.tokens)
          .as("case " + i)
          .containsExactlyElementsOf(LoraFixtures.boxed(expected.tokenIds()));
      assertThat(served.text.toString()).isEqualTo(expected.text());
      assertThat(served.finishReason).isEqualTo("length");
      long[] prompt = engine.encodeChat(c.prompt());
      assertThat(served.promptTokens).isEqualTo(prompt.length);
      assertThat(served.completionTokens).isEqualTo(c.tokens());
      float[][] reference = fullLogits(c.adapter(), prompt, served.tokenIds());
      for (int t = 0; t < served.logits.size(); t++) {
        float[] row = reference[prompt.length - 1 + t];
        float[] got = served.logits.get(t);
        for (int v = 0; v < row.length; v++) {
          assertThat((double) got[v])
              .as("case %d token %d logit %d", i, t, v)
              .isCloseTo(row[v], org.assertj.core.api.Assertions.within(TOLERANCE));
        }
      }
    }
    assertThat(streams.get(0).tokens).isNotEqualTo(streams.get(3).tokens);
    assertThat(alone(null, RECEIPT, 12).tokenIds())
        .as("the adapter changes the answer")
        .isNotEqualTo(streams.get(0).tokenIds());
  }

  @Test
  void anAdapterEvictedFromACacheOfOneReloadsAndAnswersTheSame() throws IOException {
    try (ServingEngine small =
        ServingEngine.builder().setModelDirectory(model).optAdapterCacheSize(1).build()) {
      long[] prompt = small.encodeChat(RECEIPT);
      Collected first = run(small, Completion.greedy(prompt, "a", adapterA, 10));
      Collected other = run(small, Completion.greedy(prompt, "b", adapterB, 10));
      assertThat(small.loadedAdapters()).containsExactly("b");
      Collected again = run(small, Completion.greedy(prompt, "a", adapterA, 10));

      assertThat(small.adapterLoads()).isEqualTo(3);
      assertThat(small.loadedAdapters()).containsExactly("a");
      assertThat(again.tokens).isEqualTo(first.tokens);
      assertThat(other.tokens).isNotEqualTo(first.tokens);

      // both at once: the cache holds two while both decode, and one again after
      Collected a = new Collected();
      Collected b = new Collected();
      small.submit(Completion.greedy(prompt, "a", adapterA, 10), a);
      small.submit(Completion.greedy(prompt, "b", adapterB, 10), b);
      small.runUntilIdle();
      assertThat(a.tokens).isEqualTo(first.tokens);
      assertThat(b.tokens).isEqualTo(other.tokens);
      assertThat(small.loadedAdapters()).hasSize(1);
    }
  }

  @Test
  void stopStringsEndTheAnswerAndTheStreamedDeltasAreTheText() {
    long[] prompt = engine.encodeChat(RECEIPT);
    Collected whole = run(engine, Completion.greedy(prompt, "a", adapterA, 24));
    String text = whole.text.toString();
    assertThat(text).hasSizeGreaterThan(6);
    String stop = text.substring(text.length() / 2, text.length() / 2 + 2);
    Collected stopped =
        run(engine, new Completion(prompt, "a", adapterA, 24, 0, 1, 0, List.of(stop), false));

    assertThat(stopped.finishReason).isEqualTo("stop");
    assertThat(stopped.text.toString()).isEqualTo(text.substring(0, text.indexOf(stop)));
  }

  @Test
  void aBadAdapterOrAnOverlongPromptIsAnErrorAndOthersGoOn() throws IOException {
    Path deeper = dir.resolve("deeper");
    DemoModelWriter.builder().optLayers(3).build().writeTo(deeper);
    Path misfit = dir.resolve("misfit");
    try (LlamaModel other = LlamaModel.load(deeper, LoraFixtures.ALL_PROJECTIONS, 1)) {
      PeftAdapterWriter.write(misfit, LoraFixtures.ALL_PROJECTIONS, "demo", other.exportLora());
    }
    Collected bad = new Collected();
    Collected overlong = new Collected();
    Collected fine = new Collected();
    engine.submit(Completion.greedy(engine.encodeChat(SHORT), "misfit", misfit, 4), bad);
    engine.submit(Completion.greedy(new long[engine.context() + 1], null, null, 4), overlong);
    engine.submit(greedy(SHORT, null, 4), fine);
    engine.runUntilIdle();

    assertThat(bad.error).contains("cannot load the adapter misfit").contains("missing");
    assertThat(overlong.error).contains("more than the model's context");
    assertThat(fine.finishReason).isEqualTo("length");
    assertThat(engine.loadedAdapters()).doesNotContain("misfit");
  }

  static Collected submit(Completion completion) {
    Collected collected = new Collected();
    engine.submit(completion, collected);
    return collected;
  }

  static Collected run(ServingEngine on, Completion completion) {
    Collected collected = new Collected();
    on.submit(completion, collected);
    on.runUntilIdle();
    return collected;
  }
}
