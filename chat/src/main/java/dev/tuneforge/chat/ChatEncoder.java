package dev.tuneforge.chat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders conversations with a chat template and tokenizes them piece by piece so that labels fall
 * exactly on assistant tokens, then truncates from the right to the maximum sequence length.
 */
public final class ChatEncoder {

  /** The label of a position that takes no loss, as PyTorch's cross entropy ignores it. */
  public static final long IGNORE = -100;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HuggingFaceTokenizer tokenizer;
  private final ChatTemplate template;
  private final int maxLength;

  /** Renders conversations as ChatML, the demo model's template. */
  public ChatEncoder(HuggingFaceTokenizer tokenizer, int maxLength) {
    this(tokenizer, ChatTemplate.chatMl(), maxLength);
  }

  public ChatEncoder(HuggingFaceTokenizer tokenizer, ChatTemplate template, int maxLength) {
    if (maxLength < 2) {
      throw new IllegalArgumentException("the maximum sequence length must be at least 2");
    }
    this.tokenizer = tokenizer;
    this.template = template;
    this.maxLength = maxLength;
  }

  /** Renders conversations with the model's own chat_template (ChatML when it has none). */
  public static ChatEncoder forModel(
      Path modelDirectory, HuggingFaceTokenizer tokenizer, int maxLength) throws IOException {
    return new ChatEncoder(tokenizer, ChatTemplate.load(modelDirectory), maxLength);
  }

  /** The tokenizer of a Hugging Face directory, adding no special tokens of its own. */
  public static HuggingFaceTokenizer loadTokenizer(Path modelDirectory) throws IOException {
    return HuggingFaceTokenizer.newInstance(
        modelDirectory.resolve("tokenizer.json"),
        Map.of("addSpecialTokens", "false", "truncation", "false"));
  }

  /**
   * The id of {@code pad_token} (else {@code eos_token}) from tokenizer_config.json. Padded
   * positions are masked out of attention and loss, so 0 is a safe fallback.
   */
  public static long padTokenId(Path modelDirectory, HuggingFaceTokenizer tokenizer)
      throws IOException {
    Path config = modelDirectory.resolve("tokenizer_config.json");
    if (!Files.isRegularFile(config)) {
      return 0;
    }
    JsonNode root = JSON.readTree(Files.readString(config));
    for (String field : List.of("pad_token", "eos_token")) {
      JsonNode token = root.path(field);
      String text = token.isObject() ? token.path("content").asString("") : token.asString("");
      if (!text.isEmpty()) {
        long[] ids = tokenizer.encode(text, false, false).getIds();
        if (ids.length == 1) {
          return ids[0];
        }
      }
    }
    return 0;
  }

  public EncodedExample encode(Conversation conversation) {
    long[] ids = new long[0];
    long[] labels = new long[0];
    List<ChatTemplate.Segment> segments;
    try {
      segments = template.segments(conversation);
    } catch (IllegalArgumentException e) {
      throw DatasetException.atLine(conversation.line(), e.getMessage());
    }
    for (ChatTemplate.Segment segment : segments) {
      long[] piece = ids(segment.text());
      int at = ids.length;
      ids = Arrays.copyOf(ids, at + piece.length);
      labels = Arrays.copyOf(labels, at + piece.length);
      System.arraycopy(piece, 0, ids, at, piece.length);
      if (segment.trainable()) {
        System.arraycopy(piece, 0, labels, at, piece.length);
      } else {
        Arrays.fill(labels, at, labels.length, IGNORE);
      }
    }
    boolean truncated = ids.length > maxLength;
    if (truncated) {
      ids = Arrays.copyOf(ids, maxLength);
      labels = Arrays.copyOf(labels, maxLength);
    }
    return new EncodedExample(conversation.line(), ids, labels, truncated);
  }

  /**
   * The token ids of {@code text}, adding no special tokens: the same native encoding as {@link
   * HuggingFaceTokenizer#encode(String, boolean, boolean)}, but only the ids cross from native
   * code, not every token's text, offsets and masks as well, which took most of the time.
   */
  public long[] ids(String text) {
    TokenizersLibrary library = TokenizersLibrary.LIB;
    long encoding = library.encode(tokenizer.getHandle(), text, false);
    try {
      return library.getTokenIds(encoding);
    } finally {
      library.deleteEncoding(encoding);
    }
  }

  public List<EncodedExample> encodeAll(List<Conversation> conversations) {
    return conversations.stream().map(this::encode).toList();
  }
}
