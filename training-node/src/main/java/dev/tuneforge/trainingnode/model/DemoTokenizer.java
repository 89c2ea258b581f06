package dev.tuneforge.trainingnode.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A byte-level BPE tokenizer in Hugging Face's {@code tokenizer.json} format: every byte is a
 * symbol (GPT-2's byte-to-unicode alphabet), so any text round-trips; a few merges exercise the
 * merge path and ChatML's special tokens follow the vocabulary.
 */
final class DemoTokenizer {

  static final String END_OF_TEXT = "<|endoftext|>";
  static final String IM_START = "<|im_start|>";
  static final String IM_END = "<|im_end|>";
  static final List<String> SPECIAL_TOKENS = List.of(END_OF_TEXT, IM_START, IM_END);

  private static final List<String> MERGES =
      List.of("Ġ t", "Ġ a", "h e", "i n", "r e", "o n", "Ġt he", "e r", "Ġ s", "a t", "Ġ o", "e n");

  private final Map<String, Integer> vocab = new LinkedHashMap<>();

  DemoTokenizer() {
    for (int codePoint : byteAlphabet()) {
      vocab.put(new String(Character.toChars(codePoint)), vocab.size());
    }
    for (String merge : MERGES) {
      vocab.put(merge.replace(" ", ""), vocab.size());
    }
  }

  int vocabSize() {
    return vocab.size() + SPECIAL_TOKENS.size();
  }

  int id(String specialToken) {
    return vocab.size() + SPECIAL_TOKENS.indexOf(specialToken);
  }

  String toJson(JsonMapper json) {
    ObjectNode root = json.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (String token : SPECIAL_TOKENS) {
      added
          .addObject()
          .put("id", id(token))
          .put("content", token)
          .put("single_word", false)
          .put("lstrip", false)
          .put("rstrip", false)
          .put("normalized", false)
          .put("special", true);
    }
    root.putNull("normalizer");
    byteLevel(root.putObject("pre_tokenizer"), true);
    byteLevel(root.putObject("post_processor"), false);
    byteLevel(root.putObject("decoder"), true);
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    model.putNull("unk_token");
    model.putNull("continuing_subword_prefix");
    model.putNull("end_of_word_suffix");
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    model.put("ignore_merges", false);
    ObjectNode vocabNode = model.putObject("vocab");
    vocab.forEach(vocabNode::put);
    ArrayNode merges = model.putArray("merges");
    MERGES.forEach(merges::add);
    return json.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }

  private static void byteLevel(ObjectNode node, boolean trimOffsets) {
    node.put("type", "ByteLevel");
    node.put("add_prefix_space", false);
    node.put("trim_offsets", trimOffsets);
    node.put("use_regex", true);
  }

  /** GPT-2's bytes_to_unicode: printable bytes map to themselves, the rest to 256 and up. */
  static List<Integer> byteAlphabet() {
    List<Integer> printable = new ArrayList<>();
    for (int b = 0; b < 256; b++) {
      if ((b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF)) {
        printable.add(b);
      }
    }
    List<Integer> codePoints = new ArrayList<>(printable);
    int next = 256;
    for (int b = 0; b < 256; b++) {
      if (!printable.contains(b)) {
        codePoints.add(next++);
      }
    }
    return codePoints;
  }
}
