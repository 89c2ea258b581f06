package dev.tuneforge.trainingnode.generate;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The tokens a model ends a turn with: every {@code eos_token_id} of generation_config.json and
 * config.json (a number or a list; Llama 3 lists several) and the {@code eos_token} of
 * tokenizer_config.json. Their union, because chat models often name the end-of-turn token in one
 * file and the end-of-text token in another, and generation should stop at either.
 */
public final class EosTokens {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private EosTokens() {}

  public static Set<Long> read(Path modelDirectory, HuggingFaceTokenizer tokenizer)
      throws IOException {
    Set<Long> ids = new TreeSet<>();
    for (String file : new String[] {"generation_config.json", "config.json"}) {
      JsonNode eos = json(modelDirectory.resolve(file)).path("eos_token_id");
      if (eos.isIntegralNumber()) {
        ids.add(eos.asLong());
      }
      eos.forEach(id -> ids.add(id.asLong()));
    }
    JsonNode token = json(modelDirectory.resolve("tokenizer_config.json")).path("eos_token");
    String text = token.isObject() ? token.path("content").asString("") : token.asString("");
    if (!text.isEmpty()) {
      long[] encoded = tokenizer.encode(text, false, false).getIds();
      if (encoded.length == 1) {
        ids.add(encoded[0]);
      }
    }
    return ids;
  }

  private static JsonNode json(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return JSON.missingNode();
    }
    try {
      return JSON.readTree(Files.readString(file));
    } catch (JacksonException e) {
      throw new IOException(
          file.getFileName() + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }
}
