package dev.tuneforge.modelformat.folder;

import dev.tuneforge.chat.ChatTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Chat templates of the model families teams fine-tune, for a folder whose tokenizer_config.json
 * carries none (base checkpoints often do not). Each renders a conversation as the family's
 * instruction-tuned models expect it; Gemma folds a system message into the first user turn.
 */
public enum ChatTemplateFamily {
  /** {@code <|im_start|>role ... <|im_end|>}: Qwen2, Qwen2.5, Qwen3, SmolLM2. */
  CHATML("ChatML (Qwen, SmolLM)"),
  /** {@code <|start_header_id|>role<|end_header_id|> ... <|eot_id|>}: Llama 3.x. */
  LLAMA3("Llama 3"),
  /** {@code <start_of_turn>user|model ... <end_of_turn>}: Gemma 2 and 3. */
  GEMMA("Gemma");

  private final String label;

  ChatTemplateFamily(String label) {
    this.label = label;
  }

  /** The name an API or form uses: chatml, llama3, gemma. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The name a person reads, with the model families that use it. */
  public String label() {
    return label;
  }

  /** The Jinja source, as a tokenizer_config.json's chat_template would hold it. */
  public String template() {
    if (this == CHATML) {
      return ChatTemplate.CHATML;
    }
    try (InputStream in =
        Objects.requireNonNull(ChatTemplateFamily.class.getResourceAsStream(id() + ".jinja"))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @throws IllegalArgumentException naming the known families
   */
  public static ChatTemplateFamily of(String id) {
    for (ChatTemplateFamily family : values()) {
      if (family.id().equals(id.toLowerCase(Locale.ROOT))) {
        return family;
      }
    }
    throw new IllegalArgumentException("unknown chat template family " + id + "; known: " + ids());
  }

  static String ids() {
    return Arrays.stream(values()).map(ChatTemplateFamily::id).collect(Collectors.joining(", "));
  }
}
