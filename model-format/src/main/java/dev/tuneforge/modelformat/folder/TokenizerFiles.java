package dev.tuneforge.modelformat.folder;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.tuneforge.chat.ChatMessage;
import dev.tuneforge.chat.ChatTemplate;
import dev.tuneforge.modelformat.ModelConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What the tokenizer files give a model: a tokenizer that loads, the chat template training and
 * serving render with, and the end-of-sequence and padding ids generation stops and pads with.
 *
 * @param chatTemplate the Jinja source, the folder's own or a chosen family's
 * @param eosTokenIds never empty
 */
record TokenizerFiles(
    String chatTemplate, List<Integer> eosTokenIds, @Nullable Integer padTokenId) {

  static final String TOKENIZER = "tokenizer.json";
  static final String TOKENIZER_CONFIG = "tokenizer_config.json";
  static final String TEMPLATE_FILE = "chat_template.jinja";
  static final String GENERATION_CONFIG = "generation_config.json";
  static final String CONFIG = "config.json";

  /** A conversation every supported template must render, with its assistant turn locatable. */
  private static final List<ChatMessage> EXAMPLE =
      List.of(
          ChatMessage.of("system", "Extract the total as JSON."),
          ChatMessage.of("user", "Total 12,50 EUR"),
          ChatMessage.of("assistant", "{\"total\": \"12.50\"}"));

  static TokenizerFiles read(FolderFiles files, ModelConfig config, InspectOptions options)
      throws IOException {
    if (!files.has(TOKENIZER)) {
      throw new ModelRejectedException(TOKENIZER, "missing; the model needs its tokenizer");
    }
    JsonNode tokenizerConfig = files.jsonOrEmpty(TOKENIZER_CONFIG);
    try (HuggingFaceTokenizer tokenizer = load(files)) {
      String template = chatTemplate(files, tokenizerConfig, options);
      List<Integer> eos = eosTokenIds(files, tokenizerConfig, tokenizer, config.vocabSize());
      Integer pad = padTokenId(files, tokenizerConfig, tokenizer, config.vocabSize());
      return new TokenizerFiles(template, eos, pad);
    }
  }

  private static HuggingFaceTokenizer load(FolderFiles files) throws IOException {
    byte[] json = files.bytes(TOKENIZER);
    try {
      return HuggingFaceTokenizer.newInstance(
          new ByteArrayInputStream(json), Map.of("addSpecialTokens", "false"));
    } catch (RuntimeException e) {
      throw new ModelRejectedException(
          TOKENIZER, "the tokenizers library cannot load it: " + e.getMessage());
    }
  }

  private static String chatTemplate(
      FolderFiles files, JsonNode tokenizerConfig, InspectOptions options) throws IOException {
    String file = TOKENIZER_CONFIG;
    String source = null;
    if (files.has(TEMPLATE_FILE)) {
      file = TEMPLATE_FILE;
      source = files.text(TEMPLATE_FILE);
    } else if (tokenizerConfig.path("chat_template").isString()) {
      source = tokenizerConfig.path("chat_template").asString();
    } else {
      for (JsonNode named : tokenizerConfig.path("chat_template")) {
        if (named.path("name").asString("").equals("default")) {
          source = named.path("template").asString("");
        }
      }
    }
    if (source != null && source.isBlank()) {
      source = null;
    }
    ChatTemplateFamily family = options.chatTemplateFamily();
    if (source == null && family == null) {
      throw new ModelRejectedException(
          TOKENIZER_CONFIG,
          "has no chat_template (nor is there a "
              + TEMPLATE_FILE
              + "); choose one of the known families for this model: "
              + ChatTemplateFamily.ids());
    }
    String bos = token(tokenizerConfig.path("bos_token"));
    String eos = token(tokenizerConfig.path("eos_token"));
    if (source != null) {
      String problem = renderProblem(source, bos, eos);
      if (problem == null) {
        return source;
      }
      if (family == null) {
        throw new ModelRejectedException(
            file,
            "its chat_template cannot render a system, user and assistant message for training ("
                + problem
                + "); choose one of the known families to use instead: "
                + ChatTemplateFamily.ids());
      }
    }
    String problem = renderProblem(family.template(), bos, eos);
    if (problem != null) {
      throw new ModelRejectedException(
          TOKENIZER_CONFIG,
          "the chosen " + family.id() + " chat template cannot render with its tokens: " + problem);
    }
    return family.template();
  }

  /** Why the template cannot cut a conversation for training, or null when it can. */
  private static @Nullable String renderProblem(String source, String bos, String eos) {
    try {
      new ChatTemplate(source, bos, eos).segments(EXAMPLE);
      return null;
    } catch (RuntimeException e) {
      return e.getMessage();
    }
  }

  private static List<Integer> eosTokenIds(
      FolderFiles files, JsonNode tokenizerConfig, HuggingFaceTokenizer tokenizer, int vocabSize)
      throws IOException {
    for (String file : List.of(GENERATION_CONFIG, CONFIG)) {
      List<Integer> ids = ids(files.jsonOrEmpty(file), file, "eos_token_id", vocabSize);
      if (!ids.isEmpty()) {
        return ids;
      }
    }
    Integer id = tokenId(tokenizerConfig, "eos_token", tokenizer, vocabSize);
    if (id == null) {
      throw new ModelRejectedException(
          GENERATION_CONFIG,
          "names no eos_token_id, nor do config.json and tokenizer_config.json (eos_token);"
              + " generation would never stop");
    }
    return List.of(id);
  }

  private static @Nullable Integer padTokenId(
      FolderFiles files, JsonNode tokenizerConfig, HuggingFaceTokenizer tokenizer, int vocabSize)
      throws IOException {
    for (String file : List.of(GENERATION_CONFIG, CONFIG)) {
      List<Integer> ids = ids(files.jsonOrEmpty(file), file, "pad_token_id", vocabSize);
      if (ids.size() > 1) {
        throw new ModelRejectedException(file, "pad_token_id must be one integer");
      }
      if (!ids.isEmpty()) {
        return ids.getFirst();
      }
    }
    return tokenId(tokenizerConfig, "pad_token", tokenizer, vocabSize);
  }

  /** An id field that may be an integer or a list of them (eos_token_id is a list for chats). */
  private static List<Integer> ids(JsonNode root, String file, String field, int vocabSize) {
    JsonNode node = root.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    List<Integer> ids = new ArrayList<>();
    for (JsonNode id : node.isArray() ? node : List.of(node)) {
      if (!id.isIntegralNumber()) {
        throw new ModelRejectedException(
            file, field + " must be an integer or a list of integers, not " + node);
      }
      ids.add(inVocabulary(id.asInt(), file, field, vocabSize));
    }
    return ids;
  }

  private static @Nullable Integer tokenId(
      JsonNode tokenizerConfig, String field, HuggingFaceTokenizer tokenizer, int vocabSize) {
    String text = token(tokenizerConfig.path(field));
    if (text.isEmpty()) {
      return null;
    }
    long[] ids = tokenizer.encode(text, false, false).getIds();
    if (ids.length != 1) {
      throw new ModelRejectedException(
          TOKENIZER_CONFIG,
          field + " " + text + " is not a single token of " + TOKENIZER + " (" + ids.length + ")");
    }
    return inVocabulary((int) ids[0], TOKENIZER_CONFIG, field, vocabSize);
  }

  private static int inVocabulary(int id, String file, String field, int vocabSize) {
    if (id < 0 || id >= vocabSize) {
      throw new ModelRejectedException(
          file,
          field + " " + id + " is outside the model's vocabulary (vocab_size " + vocabSize + ")");
    }
    return id;
  }

  private static String token(JsonNode token) {
    return token.isObject() ? token.path("content").asString("") : token.asString("");
  }
}
