package dev.tuneforge.app.dataset.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.tuneforge.modelformat.fixtures.RealTokenizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PreTokenCountsTest {

  /** Texts where a word-by-word count could go wrong: contractions, digits, spaces, scripts. */
  private static final String[] TEXTS = {
    "<|im_start|>user\nWe're sure it's 12,345.67 RM — isn't it?<|im_end|>\n<|im_start|>assistant\n",
    "TOTAL   RM  1558.00\n\n\n   CASH\t\tRM 2000\r\nCHANGE 442.00   ",
    "Cafe\u0301 cre\u0300me brûlée, naïve façade; Ǆ ſ Kelvin K",
    "東京都渋谷区 1-2-3 電話 03-1234-5678 😀👍🏽 مرحبا بالعالم",
    "{\"company\": \"99 SPEED MART S/B\", \"total\": \"32.00\"}<|im_end|><|im_end|>",
    "<think>\n\n</think>\n\nshe'LL  DON'T   we'VE\u00a0\u2003spaces\u3000and",
    "",
    "a",
  };

  @ParameterizedTest
  @EnumSource(
      value = RealTokenizers.class,
      names = {"QWEN3", "LLAMA3"})
  void wordByWordCountsEqualTheTokenizersOwn(RealTokenizers family) throws IOException {
    Path model = fetched(family);
    PreTokenCounts counts = PreTokenCounts.of(model.resolve("tokenizer.json"));
    assertThat(counts).isNotNull();
    try (HuggingFaceTokenizer tokenizer = TokenLengthCounter.loadTokenizer(model)) {
      int[] exact = new int[TEXTS.length];
      for (int i = 0; i < TEXTS.length; i++) {
        exact[i] = tokenizer.encode(TEXTS[i], false, false).getIds().length;
      }
      assertThat(counts.counts(TEXTS, words -> tokens(tokenizer, words))).containsExactly(exact);
      // The second time every word is known: none is tokenized again.
      assertThat(
              counts.counts(
                  TEXTS,
                  words -> {
                    throw new AssertionError("tokenized again: " + String.join("|", words));
                  }))
          .containsExactly(exact);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = RealTokenizers.class,
      names = {"GEMMA3"})
  void aTokenizerWithoutPreTokensIsCountedWhole(RealTokenizers family) throws IOException {
    assertThat(PreTokenCounts.of(fetched(family).resolve("tokenizer.json"))).isNull();
  }

  private static int[] tokens(HuggingFaceTokenizer tokenizer, String[] texts) {
    int[] counts = new int[texts.length];
    for (int i = 0; i < texts.length; i++) {
      counts[i] = tokenizer.encode(texts[i], false, false).getIds().length;
    }
    return counts;
  }

  private static Path fetched(RealTokenizers family) {
    Optional<Path> model = family.find();
    if (model.isEmpty() && RealTokenizers.required()) {
      return family.require();
    }
    assumeTrue(model.isPresent(), "needs bin/fetch-tokenizers");
    return model.get();
  }
}
