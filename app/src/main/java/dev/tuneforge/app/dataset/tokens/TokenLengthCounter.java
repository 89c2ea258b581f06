package dev.tuneforge.app.dataset.tokens;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.tuneforge.chat.ChatEncoder;
import dev.tuneforge.chat.Conversation;
import dev.tuneforge.chat.EncodedExample;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Measures rows as the trainer encodes them: the same {@link ChatEncoder} over the model's own chat
 * template and tokenizer, without its truncation, so a row's length and the assistant tokens a
 * maximum length would cut off are both known.
 */
public final class TokenLengthCounter implements AutoCloseable {
  /** Files of a model directory the count needs; the weights are not among them. */
  public static final List<String> MODEL_FILES =
      List.of("tokenizer.json", "tokenizer_config.json", "chat_template.jinja");

  private final HuggingFaceTokenizer tokenizer;
  private final ChatEncoder encoder;

  private TokenLengthCounter(HuggingFaceTokenizer tokenizer, ChatEncoder encoder) {
    this.tokenizer = tokenizer;
    this.encoder = encoder;
  }

  /**
   * A counter for the model in {@code modelDirectory} (a Hugging Face layout; tokenizer files
   * suffice).
   */
  public static TokenLengthCounter forModel(Path modelDirectory) throws IOException {
    HuggingFaceTokenizer tokenizer = ChatEncoder.loadTokenizer(modelDirectory);
    try {
      return new TokenLengthCounter(
          tokenizer, ChatEncoder.forModel(modelDirectory, tokenizer, Integer.MAX_VALUE));
    } catch (IOException | RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  /**
   * One row: its length in tokens, its trainable assistant tokens, and how many of those lie at or
   * beyond {@code maxLength} (lost to truncation; the first token is never a target).
   *
   * @throws dev.tuneforge.chat.DatasetException when the model's template refuses the row
   */
  public Row measure(Conversation conversation, int maxLength) {
    EncodedExample full = encoder.encode(conversation);
    long[] labels = full.labels();
    long trainable = 0;
    long lost = 0;
    for (int i = 1; i < labels.length; i++) {
      if (labels[i] != ChatEncoder.IGNORE) {
        trainable++;
        if (i >= maxLength) {
          lost++;
        }
      }
    }
    return new Row(full.length(), trainable, lost);
  }

  @Override
  public void close() {
    tokenizer.close();
  }

  /** A row's length and its assistant tokens, all and beyond the maximum length. */
  public record Row(int length, long assistantTokens, long assistantTokensLost) {}
}
