package dev.tuneforge.fieldmetrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a model output as a JSON object, tolerating only surrounding whitespace and one Markdown
 * code fence; see docs/evaluation.md for the exact rules.
 */
public final class JsonOutput {
  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();
  // An opening fence, an optional language tag of "json" only, a line break, the body, a closing
  // fence.
  private static final Pattern FENCE =
      Pattern.compile("(?s)\\A```(?:[jJ][sS][oO][nN])?[ \\t]*\\R(.*?)\\R?```\\z");

  private JsonOutput() {}

  public static ParsedOutput parse(String text) {
    String body = text.strip();
    Matcher fence = FENCE.matcher(body);
    if (fence.matches()) {
      body = fence.group(1).strip();
    }
    if (body.isEmpty()) {
      return ParsedOutput.invalid("empty output");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (JacksonException e) {
      return ParsedOutput.invalid("not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      return ParsedOutput.invalid("not a JSON object");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    flatten("", root, fields);
    return new ParsedOutput(true, fields, null);
  }

  private static void flatten(String path, JsonNode node, Map<String, String> into) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> property : node.properties()) {
        flatten(
            path.isEmpty() ? property.getKey() : path + "." + property.getKey(),
            property.getValue(),
            into);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        flatten(path + "[" + i + "]", node.get(i), into);
      }
    } else if (node.isString()) {
      into.put(path, node.stringValue());
    } else if (node.isIntegralNumber()) {
      into.put(path, node.bigIntegerValue().toString());
    } else if (node.isNumber()) {
      into.put(path, node.decimalValue().toPlainString());
    } else if (node.isBoolean()) {
      into.put(path, Boolean.toString(node.booleanValue()));
    }
    // JSON null is "no answer": the key counts as absent.
  }
}
