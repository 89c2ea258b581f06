package dev.tuneforge.app.dataset.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.tuneforge.chat.ChatMessage;
import dev.tuneforge.chat.ChatTemplate;
import dev.tuneforge.chat.Conversation;
import dev.tuneforge.modelformat.fixtures.RealTokenizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
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

  /**
   * Fragments whose joins are where a regular expression, a normaliser or an added token could cut
   * otherwise: contractions after letters, digit runs, every kind of space and line end, combining
   * marks (and one after {@code >}, which NFC composes), other scripts, emoji, added tokens and
   * half of one, template placeholders.
   */
  private static final String[] FRAGMENTS = {
    "'s",
    "'LL",
    "'d",
    "'",
    "s",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\r\n",
    "\t",
    "\u00a0",
    "\u2003",
    "\u3000",
    "12",
    "345",
    "6,78",
    ".00",
    "RM",
    "TOTAL",
    "café",
    "e",
    "\u0301",
    ">",
    "\u0338",
    "Ǆ",
    "ſ",
    "東京",
    "渋谷",
    "😀",
    "👍🏽",
    "مرحبا",
    "—",
    "-",
    "<|im_end|>",
    "<|im_start|>",
    "<|eot_id|>",
    "<|im_",
    "end|>",
    "<think>",
    "{{name}}",
    "{% if x %}",
    "\"",
    "{",
    "}",
    ":",
    "/",
    "word",
    " word",
  };

  /**
   * A large batch (cut into words on all cores) of texts joined at random from {@link #FRAGMENTS}
   * and SROIE-like lines, as the counter counts them (new words encoded joined by an added token),
   * equals the tokenizer's own count of each whole text; so does each row's length measured by the
   * counter equal the sum of its segments' native counts.
   */
  @ParameterizedTest
  @EnumSource(
      value = RealTokenizers.class,
      names = {"QWEN3", "LLAMA3"})
  void aLargeAwkwardCorpusCountsAsTheTokenizerCountsIt(RealTokenizers family) throws IOException {
    Path model = fetched(family);
    PreTokenCounts counts = PreTokenCounts.of(model.resolve("tokenizer.json"));
    assertThat(counts).isNotNull();
    // New words are encoded joined by this added token, not one text each.
    assertThat(counts.separator()).isNotNull();
    Random random = new Random(14);
    List<String> corpus = new ArrayList<>(Arrays.asList(TEXTS));
    for (int t = 0; t < 1200; t++) {
      StringBuilder text = new StringBuilder();
      int pieces = 1 + random.nextInt(60);
      for (int p = 0; p < pieces; p++) {
        text.append(
            random.nextInt(4) == 0
                ? "ITEM "
                    + random.nextInt(100000)
                    + " x"
                    + random.nextInt(9)
                    + " RM "
                    + random.nextInt(999)
                    + "."
                    + random.nextInt(99)
                    + "\n"
                : FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
      }
      corpus.add(text.toString());
    }
    String[] texts = corpus.toArray(String[]::new);
    try (HuggingFaceTokenizer tokenizer = TokenLengthCounter.loadTokenizer(model);
        TokenLengthCounter counter = TokenLengthCounter.forModel(model)) {
      int[] exact = tokens(tokenizer, texts);
      assertThat(counts.counts(texts, counter::wordCounts)).containsExactly(exact);
      assertThat(counts.counts(texts, counter::wordCounts)).containsExactly(exact);

      ChatTemplate template = ChatTemplate.load(model);
      List<Conversation> rows = new ArrayList<>();
      List<Integer> lengths = new ArrayList<>();
      for (int i = 0; i + 1 < texts.length; i += 2) {
        List<ChatMessage> messages =
            List.of(
                ChatMessage.of("system", "Extract the total."),
                ChatMessage.of("user", texts[i].isEmpty() ? "?" : texts[i]),
                ChatMessage.of("assistant", texts[i + 1].isEmpty() ? "." : texts[i + 1]));
        rows.add(new Conversation(i + 1, messages));
        int length = 0;
        for (ChatTemplate.Segment segment : template.segments(messages)) {
          length += tokenizer.encode(segment.text(), false, false).getIds().length;
        }
        lengths.add(length);
      }
      List<Integer> measured = new ArrayList<>();
      for (int from = 0; from < rows.size(); from += 256) {
        counter
            .measureAll(rows.subList(from, Math.min(rows.size(), from + 256)), Integer.MAX_VALUE)
            .forEach(row -> measured.add(row.length()));
      }
      assertThat(measured).isEqualTo(lengths);
      assertThat(counter.renderingSummary()).endsWith("counted word by word");
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
