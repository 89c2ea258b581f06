package dev.tuneforge.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.tuneforge.app.dataset.tokens.TokenLengthCounter;
import dev.tuneforge.chat.ChatDataset;
import dev.tuneforge.chat.ChatEncoder;
import dev.tuneforge.chat.Conversation;
import dev.tuneforge.chat.EncodedExample;
import dev.tuneforge.modelformat.fixtures.RealTokenizers;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The counter's batched, spliced counts equal the trainer's own encoding of every SROIE row, one
 * row at a time ({@link ChatEncoder} at the maximum length, as training truncates): the row's
 * length, its assistant tokens, those a maximum length cuts off, and whether the trainer leaves the
 * row out. Under the demo model and each real tokenizer fetched (all of them in CI).
 */
class TokenLengthCounterIT {
  /** Shorter than most SROIE rows under every tokenizer, so rows are truncated and left out. */
  private static final int MAX_LENGTH = 300;

  @Test
  void theDemoModelsCountsEqualTheTrainersEncodingOfEveryRow(@TempDir Path dir) throws IOException {
    DemoModelWriter.write(dir, DemoModel.SEED);
    String rendering = compare(dir);
    assertThat(rendering).as("the template is spliced, not rendered per row").contains(" spliced");
    assertThat(rendering).doesNotStartWith(ChatDataset.read(sroie()).size() + " rows rendered");
  }

  @ParameterizedTest
  @EnumSource(RealTokenizers.class)
  void aRealTokenizersCountsEqualTheTrainersEncodingOfEveryRow(RealTokenizers family)
      throws IOException {
    Optional<Path> dir = family.find();
    if (RealTokenizers.required()) {
      dir = Optional.of(family.require());
    }
    assumeTrue(dir.isPresent(), family + " tokenizer not fetched (bin/fetch-tokenizers)");
    compare(dir.get());
  }

  /** Compares every row; returns how many rows were rendered and spliced. */
  private static String compare(Path modelDir) throws IOException {
    List<Conversation> rows = ChatDataset.read(sroie());
    List<TokenLengthCounter.Row> counted = new ArrayList<>();
    String rendering;
    try (TokenLengthCounter counter = TokenLengthCounter.forModel(modelDir)) {
      for (int from = 0; from < rows.size(); from += 100) {
        counted.addAll(
            counter.measureAll(rows.subList(from, Math.min(rows.size(), from + 100)), MAX_LENGTH));
      }
      rendering = counter.renderingSummary();
    }
    int dropped = 0;
    try (HuggingFaceTokenizer tokenizer = ChatEncoder.loadTokenizer(modelDir)) {
      ChatEncoder full = ChatEncoder.forModel(modelDir, tokenizer, Integer.MAX_VALUE);
      ChatEncoder trained = ChatEncoder.forModel(modelDir, tokenizer, MAX_LENGTH);
      for (int i = 0; i < rows.size(); i++) {
        EncodedExample whole = full.encode(rows.get(i));
        EncodedExample cut = trained.encode(rows.get(i));
        TokenLengthCounter.Row row = counted.get(i);
        String line = "line " + rows.get(i).line() + " under " + modelDir.getFileName();
        assertThat(row.length()).as(line).isEqualTo(whole.length());
        assertThat(row.assistantTokens()).as(line).isEqualTo(whole.trainableTokens());
        assertThat(row.assistantTokensLost())
            .as(line)
            .isEqualTo(whole.trainableTokens() - cut.trainableTokens());
        assertThat(row.dropped()).as(line).isEqualTo(cut.trainableTokens() == 0);
        dropped += row.dropped() ? 1 : 0;
      }
    }
    assertThat(dropped).as("rows left out at %d tokens", MAX_LENGTH).isPositive();
    System.out.printf(
        "%s: %d rows equal, %d left out at %d tokens; %s%n",
        modelDir.getFileName(), rows.size(), dropped, MAX_LENGTH, rendering);
    return rendering;
  }

  private static Path sroie() {
    Path file = PlatformTestSupport.sroieTrainingFile();
    assertThat(Files.isRegularFile(file)).isTrue();
    return file;
  }
}
