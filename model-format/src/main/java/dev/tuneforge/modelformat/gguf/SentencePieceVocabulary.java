package dev.tuneforge.modelformat.gguf;

import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * SentencePiece's BPE (Gemma's tokenizer) as llama.cpp's {@code llama} tokenizer model reads it:
 * llama.cpp merges the adjacent pair whose joined token scores highest, where Hugging Face's
 * tokenizer.json applies the lowest-ranked merge. Its merges list every split of every token,
 * ranked as SentencePiece scored the joined token, so a token's score is minus the rank of the
 * first merge that makes it; tokens no merge makes (characters, bytes, added tokens) never result
 * from a merge and score 0, added ones -1000 as llama.cpp's converter scores them. Byte-fallback
 * tokens {@code <0xXX>} are typed BYTE, the unknown token UNKNOWN. Whether a space is put before
 * the text follows the normalizer (Gemma 3 puts none).
 */
final class SentencePieceVocabulary {
  static final int UNKNOWN = 2;
  static final int BYTE = 6;
  private static final float ADDED_SCORE = -1000;

  private SentencePieceVocabulary() {}

  static void put(GgufWriter gguf, JsonNode tokenizer, String[] tokens, int[] types) {
    JsonNode model = tokenizer.path("model");
    Map<String, Integer> firstMerge = new HashMap<>();
    int rank = 0;
    for (JsonNode merge : model.path("merges")) {
      String joined =
          merge.isArray()
              ? merge.get(0).asString() + merge.get(1).asString()
              : merge.asString().replace(" ", "");
      firstMerge.putIfAbsent(joined, rank++);
    }
    String unknown = model.path("unk_token").asString("");
    float[] scores = new float[tokens.length];
    for (int id = 0; id < tokens.length; id++) {
      String token = tokens[id];
      if (token.equals(unknown)) {
        types[id] = UNKNOWN;
      } else if (types[id] == GgufVocabulary.CONTROL || types[id] == GgufVocabulary.USER_DEFINED) {
        scores[id] = ADDED_SCORE;
      } else if (token.length() == 6 && token.matches("<0x[0-9A-F]{2}>")) {
        types[id] = BYTE;
      } else {
        Integer merged = firstMerge.get(token);
        scores[id] = merged == null ? 0 : -merged;
      }
    }
    gguf.put("tokenizer.ggml.model", "llama");
    gguf.put("tokenizer.ggml.pre", "default");
    gguf.put("tokenizer.ggml.scores", scores);
    gguf.put(
        "tokenizer.ggml.add_space_prefix",
        tokenizer.path("normalizer").toString().contains("\"Prepend\""));
  }
}
