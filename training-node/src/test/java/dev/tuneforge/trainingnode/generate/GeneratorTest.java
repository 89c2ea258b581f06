package dev.tuneforge.trainingnode.generate;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.tuneforge.chat.ChatEncoder;
import dev.tuneforge.chat.ChatMessage;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.model.TestEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratorTest {

  static {
    TestEngine.useOneThread();
  }

  static final List<ChatMessage> PROMPT =
      List.of(
          ChatMessage.of("system", "Extract the total."),
          ChatMessage.of("user", "TOTAL 12.50 CASH"));

  @TempDir static Path dir;

  static LlamaModel model;
  static HuggingFaceTokenizer tokenizer;

  @BeforeAll
  static void loadDemoModelWithRandomLora() throws IOException {
    DemoModelWriter.write(dir, 11);
    model = LlamaModel.load(dir, LoraFixtures.ALL_PROJECTIONS, 5);
    LoraFixtures.randomizeLoraB(model, 7);
    tokenizer = ChatEncoder.loadTokenizer(dir);
  }

  @AfterAll
  static void close() {
    model.close();
    tokenizer.close();
  }

  private static Generator.Builder generator() {
    return Generator.builder()
        .setModel(model)
        .setTokenizer(tokenizer)
        .optModelDirectory(dir)
        .optEosTokenIds(Set.of());
  }

  @Test
  void greedyDecodingWithTheCacheEqualsFullReForwardsTokenForToken() throws IOException {
    Generator generator = generator().optMaxNewTokens(24).build();
    long[] prompt = generator.encodePrompt(PROMPT);

    GenerationResult result = generator.generate(PROMPT);

    assertThat(result.promptTokens()).isEqualTo(prompt.length);
    assertThat(LoraFixtures.boxed(result.tokenIds()))
        .containsExactlyElementsOf(
            LoraFixtures.boxed(LoraFixtures.greedyWithoutCache(model, prompt, 24)));
    assertThat(result.stopReason()).isEqualTo(StopReason.MAX_NEW_TOKENS);
    assertThat(result.text()).isEqualTo(tokenizer.decode(result.tokenIds(), true));
  }

  @Test
  void thePromptIsTheConversationRenderedWithItsGenerationPrompt() throws IOException {
    long[] prompt = generator().build().encodePrompt(PROMPT);

    assertThat(tokenizer.decode(prompt, false))
        .isEqualTo(
            "<|im_start|>system\nExtract the total.<|im_end|>\n<|im_start|>user\nTOTAL 12.50 CASH<|im_end|>\n"
                + "<|im_start|>assistant\n");
  }

  @Test
  void leftPaddedPromptsInOneBatchDecodeAsIfAlone() throws IOException {
    Generator generator = generator().optMaxNewTokens(10).build();
    List<List<ChatMessage>> prompts =
        List.of(
            PROMPT,
            List.of(ChatMessage.of("user", "hi")),
            List.of(ChatMessage.of("user", "a much longer question about receipts")));

    List<GenerationResult> batch = generator.generateBatch(prompts);

    for (int i = 0; i < prompts.size(); i++) {
      assertThat(batch.get(i)).as("prompt " + i).isEqualTo(generator.generate(prompts.get(i)));
    }
    assertThat(batch.get(0).tokenIds()).isNotEqualTo(batch.get(1).tokenIds());
  }

  @Test
  void samplingIsReproducibleWithASeed() throws IOException {
    Generator.Builder sampled = generator().optTemperature(0.9).optTopP(0.9).optMaxNewTokens(20);

    GenerationResult first = sampled.optSeed(1).build().generate(PROMPT);
    GenerationResult again = sampled.optSeed(1).build().generate(PROMPT);
    GenerationResult otherSeed = sampled.optSeed(2).build().generate(PROMPT);
    GenerationResult greedy = generator().optMaxNewTokens(20).build().generate(PROMPT);

    assertThat(again).isEqualTo(first);
    assertThat(otherSeed.tokenIds()).isNotEqualTo(first.tokenIds());
    assertThat(first.tokenIds()).isNotEqualTo(greedy.tokenIds());
  }

  @Test
  void aNarrowNucleusDecodesGreedily() throws IOException {
    GenerationResult nucleus =
        generator()
            .optTemperature(1)
            .optTopP(1e-6)
            .optMaxNewTokens(12)
            .optSeed(3)
            .build()
            .generate(PROMPT);
    GenerationResult greedy = generator().optMaxNewTokens(12).build().generate(PROMPT);

    assertThat(nucleus.tokenIds()).isEqualTo(greedy.tokenIds());
  }

  @Test
  void stopsAtAnEosTokenAndLeavesItOutOfTheText() throws IOException {
    long[] free = generator().optMaxNewTokens(12).build().generate(PROMPT).tokenIds();
    long eos = free[5];
    int first = Arrays.stream(free).boxed().toList().indexOf(eos);

    GenerationResult result =
        generator().optMaxNewTokens(12).optEosTokenIds(Set.of(eos)).build().generate(PROMPT);

    assertThat(result.stopReason()).isEqualTo(StopReason.EOS);
    assertThat(result.tokenIds()).isEqualTo(Arrays.copyOf(free, first + 1));
    assertThat(result.text()).isEqualTo(tokenizer.decode(Arrays.copyOf(free, first), true));
  }

  @Test
  void readsTheEosTokensOfTheModelDirectory() throws IOException {
    Generator generator =
        Generator.builder().setModel(model).setTokenizer(tokenizer).optModelDirectory(dir).build();

    assertThat(generator.eosTokenIds())
        .containsExactly(tokenizer.encode("<|im_end|>", false, false).getIds()[0]);
  }

  @Test
  void respectsTheMaximumOfNewTokens() throws IOException {
    GenerationResult result = generator().optMaxNewTokens(3).build().generate(PROMPT);

    assertThat(result.tokenIds()).hasSize(3);
    assertThat(result.stopReason()).isEqualTo(StopReason.MAX_NEW_TOKENS);
  }

  @Test
  void stopsWhereTheModelsContextWouldBeExceeded() throws IOException {
    Path small = dir.resolve("small-context");
    DemoModelWriter.builder().build().writeTo(small);
    Path config = small.resolve("config.json");
    Files.writeString(
        config,
        Files.readString(config)
            .replace("\"max_position_embeddings\" : 1024", "\"max_position_embeddings\" : 20"));
    long[] prompt = new long[15];
    Arrays.setAll(prompt, i -> 30 + i);
    try (LlamaModel model = PeftAdapter.loadBase(small)) {
      Generator generator = untilMaxNewTokens(model, 30);

      GenerationResult result = generator.generateFromIds(prompt);

      // The last token is predicted from exactly 20 tokens: the 15 of the prompt and 5 new ones.
      assertThat(result.stopReason()).isEqualTo(StopReason.CONTEXT_LIMIT);
      assertThat(result.tokenIds()).hasSize(6);
      // A prompt over the context gets no answer, and leaves the batch's other rows as they were.
      List<GenerationResult> batch = generator.generateFromIds(List.of(new long[21], prompt));
      assertThat(batch.get(0).text()).isEmpty();
      assertThat(batch.get(0).stopReason()).isEqualTo(StopReason.CONTEXT_LIMIT);
      assertThat(batch.get(1).tokenIds()).isEqualTo(result.tokenIds());
    }
  }

  @Test
  void decodesPastASlidingWindowAsTheWholeSequenceWouldPredict() throws IOException {
    Path mistral = dir.resolve("mistral");
    DemoModelWriter.builder()
        .optArchitecture("MistralForCausalLM")
        .optSlidingWindow(6, 1)
        .build()
        .writeTo(mistral);
    long[] prompt = new long[9];
    Arrays.setAll(prompt, i -> 30 + i);
    try (LlamaModel windowed = PeftAdapter.loadBase(mistral)) {
      GenerationResult result = untilMaxNewTokens(windowed, 8).generateFromIds(prompt);

      assertThat(result.stopReason()).isEqualTo(StopReason.MAX_NEW_TOKENS);
      long[] whole = new long[prompt.length + result.tokenIds().length];
      System.arraycopy(prompt, 0, whole, 0, prompt.length);
      System.arraycopy(result.tokenIds(), 0, whole, prompt.length, result.tokenIds().length);
      float[][] logits = LoraFixtures.fullLogits(windowed, whole);
      for (int t = prompt.length - 1; t < whole.length - 1; t++) {
        int best = 0;
        for (int v = 1; v < logits[t].length; v++) {
          best = logits[t][v] > logits[t][best] ? v : best;
        }
        assertThat(whole[t + 1]).as("token after position " + t).isEqualTo(best);
      }
    }
  }

  @Test
  void withTheAdapterOffItDecodesAsTheBaseModel() throws IOException {
    GenerationResult adapterOff =
        generator().optMaxNewTokens(16).optUseAdapter(false).build().generate(PROMPT);
    GenerationResult adapterOn = generator().optMaxNewTokens(16).build().generate(PROMPT);
    try (LlamaModel base = PeftAdapter.loadBase(dir)) {
      long[] prompt = generator().build().encodePrompt(PROMPT);

      assertThat(adapterOff.tokenIds())
          .isEqualTo(LoraFixtures.greedyWithoutCache(base, prompt, 16));
    }
    assertThat(adapterOn.tokenIds()).isNotEqualTo(adapterOff.tokenIds());
  }

  /** Greedy decoding that ignores end-of-sequence tokens. */
  private static Generator untilMaxNewTokens(LlamaModel model, int maxNewTokens)
      throws IOException {
    return Generator.builder()
        .setModel(model)
        .setTokenizer(tokenizer)
        .optEosTokenIds(Set.of())
        .optMaxNewTokens(maxNewTokens)
        .build();
  }
}
