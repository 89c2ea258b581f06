package dev.tuneforge.modelformat.gguf;

import dev.tuneforge.chat.ChatTemplate;
import dev.tuneforge.modelformat.UnsupportedModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Hugging Face tokenizer as llama.cpp's {@code tokenizer.ggml.*} keys hold it: every token up to
 * the model's vocab size (ids the tokenizer leaves empty become unused {@code [PADn]} tokens),
 * their types, the special tokens' ids and the chat template; for byte-level BPE (Llama 3,
 * Qwen2/2.5/3, SmolLM2) model {@code gpt2} with the merges, for SentencePiece's BPE (Gemma) model
 * {@code llama} with scores ({@link SentencePieceVocabulary}).
 */
final class GgufVocabulary {
  static final int NORMAL = 1;
  static final int CONTROL = 3;
  static final int USER_DEFINED = 4;
  static final int UNUSED = 5;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private GgufVocabulary() {}

  /**
   * Puts the tokenizer's keys.
   *
   * @param pre llama.cpp's name for a byte-level BPE pre-tokenizer's splitting rule
   * @throws UnsupportedModelException for a tokenizer that is neither byte-level BPE nor
   *     SentencePiece's BPE, naming the file
   */
  static void put(GgufWriter gguf, Path folder, int vocabSize, String pre) throws IOException {
    Path tokenizerFile = folder.resolve("tokenizer.json");
    if (!Files.isRegularFile(tokenizerFile)) {
      throw new UnsupportedModelException("the model folder has no tokenizer.json for the GGUF");
    }
    JsonNode tokenizer = JSON.readTree(Files.readString(tokenizerFile));
    JsonNode model = tokenizer.path("model");
    boolean bpe = model.path("type").asString("").equals("BPE");
    boolean byteLevel = tokenizer.path("pre_tokenizer").toString().contains("\"ByteLevel\"");
    boolean sentencePiece =
        model.path("byte_fallback").asBoolean(false)
            && tokenizer.path("normalizer").toString().contains("\"content\":\"\u2581\"");
    if (!bpe || !(byteLevel || sentencePiece)) {
      throw new UnsupportedModelException(
          "tokenizer.json: GGUF export needs a byte-level BPE tokenizer (Llama 3, Qwen, SmolLM)"
              + " or SentencePiece's BPE with byte fallback (Gemma); this one is "
              + model.path("type").asString("of no known type")
              + " with neither");
    }
    String[] tokens = new String[vocabSize];
    int[] types = new int[vocabSize];
    Map<String, Integer> ids = new HashMap<>();
    for (Map.Entry<String, JsonNode> entry : model.path("vocab").properties()) {
      set(tokens, types, ids, entry.getValue().asInt(), entry.getKey(), NORMAL);
    }
    for (JsonNode added : tokenizer.path("added_tokens")) {
      int id = added.path("id").asInt();
      String content = added.path("content").asString();
      if (sentencePiece && id >= vocabSize) {
        // Gemma 3's image token lies beyond the text model's embeddings; llama.cpp drops it too.
        continue;
      }
      if (sentencePiece) {
        boolean control = added.path("special").asBoolean(false) || looksSpecial(content);
        set(
            tokens,
            types,
            ids,
            id,
            control ? content : content.replace('\u2581', ' '),
            control ? CONTROL : USER_DEFINED);
      } else {
        int type = added.path("special").asBoolean(false) ? CONTROL : USER_DEFINED;
        set(tokens, types, ids, id, content, type);
      }
    }
    for (int i = 0; i < vocabSize; i++) {
      if (tokens[i] == null) {
        tokens[i] = "[PAD" + i + "]";
        types[i] = UNUSED;
      }
    }
    if (sentencePiece) {
      SentencePieceVocabulary.put(gguf, tokenizer, tokens, types);
    } else {
      putByteLevel(gguf, model, pre);
    }
    gguf.put("tokenizer.ggml.tokens", List.of(tokens));
    gguf.put("tokenizer.ggml.token_type", types);

    ChatTemplate template = ChatTemplate.load(folder);
    JsonNode config = readConfig(folder.resolve("tokenizer_config.json"));
    putId(gguf, "tokenizer.ggml.bos_token_id", template.bosToken(), ids);
    putId(gguf, "tokenizer.ggml.eos_token_id", template.eosToken(), ids);
    putId(gguf, "tokenizer.ggml.padding_token_id", token(config.path("pad_token")), ids);
    if (sentencePiece) {
      putId(gguf, "tokenizer.ggml.unknown_token_id", model.path("unk_token").asString(""), ids);
    }
    boolean addBos =
        config.path("add_bos_token").isBoolean()
            ? config.path("add_bos_token").asBoolean()
            : !template.bosToken().isEmpty()
                && tokenizer.path("post_processor").toString().contains(template.bosToken());
    gguf.put("tokenizer.ggml.add_bos_token", addBos);
    gguf.put("tokenizer.ggml.add_eos_token", config.path("add_eos_token").asBoolean(false));
    gguf.put("tokenizer.chat_template", template.source());
  }

  private static void putByteLevel(GgufWriter gguf, JsonNode model, String pre) {
    List<String> merges = new ArrayList<>();
    for (JsonNode merge : model.path("merges")) {
      merges.add(
          merge.isArray()
              ? merge.get(0).asString() + " " + merge.get(1).asString()
              : merge.asString());
    }
    gguf.put("tokenizer.ggml.model", "gpt2");
    gguf.put("tokenizer.ggml.pre", pre);
    gguf.put("tokenizer.ggml.merges", merges);
  }

  /** The tokens llama.cpp's converter takes for control tokens though they are not special. */
  private static boolean looksSpecial(String token) {
    return token.equals("<pad>")
        || token.equals("<mask>")
        || (token.startsWith("<|") && token.endsWith("|>"))
        || (token.startsWith("<unused") && token.endsWith(">"));
  }

  private static void set(
      String[] tokens, int[] types, Map<String, Integer> ids, int id, String token, int type) {
    if (id < 0 || id >= tokens.length) {
      throw new UnsupportedModelException(
          "tokenizer.json: token "
              + token
              + " has id "
              + id
              + ", beyond the model's vocab_size "
              + tokens.length);
    }
    tokens[id] = token;
    types[id] = type;
    ids.put(token, id);
  }

  private static void putId(GgufWriter gguf, String key, String token, Map<String, Integer> ids) {
    Integer id = ids.get(token);
    if (id != null) {
      gguf.put(key, id);
    }
  }

  private static JsonNode readConfig(Path file) throws IOException {
    return Files.isRegularFile(file)
        ? JSON.readTree(Files.readString(file))
        : JSON.createObjectNode();
  }

  private static String token(JsonNode token) {
    return token.isObject() ? token.path("content").asString("") : token.asString("");
  }
}
