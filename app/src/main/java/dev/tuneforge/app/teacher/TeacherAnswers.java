package dev.tuneforge.app.teacher;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the teacher's answers. Chat models often wrap JSON in a Markdown fence, so one fence is
 * tolerated; anything else that is not the JSON asked for is a failure with a reason.
 */
final class TeacherAnswers {
  static final JsonMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final Pattern FENCE =
      Pattern.compile("(?s)\\A```(?:[jJ][sS][oO][nN])?[ \\t]*\\R(.*?)\\R?```\\z");

  private TeacherAnswers() {}

  /** The judge's decision, and its score (1 to 10) where it was asked for one. */
  record Verdict(boolean accepted, String reason, @Nullable Integer score) {
    Verdict(boolean accepted, String reason) {
      this(accepted, reason, null);
    }

    /** As the pipeline records it with the item. */
    String toJson() {
      var node =
          JSON.createObjectNode()
              .put("verdict", accepted ? "accept" : "reject")
              .put("reason", reason);
      if (score != null) {
        node.put("score", score);
      }
      return JSON.writeValueAsString(node);
    }
  }

  static JsonNode object(String answer) throws TeacherCallFailed {
    String body = answer.strip();
    Matcher fence = FENCE.matcher(body);
    if (fence.matches()) {
      body = fence.group(1).strip();
    }
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JacksonException e) {
      throw new TeacherCallFailed(
          "The teacher's answer is not JSON (" + e.getOriginalMessage() + "): " + excerpt(answer));
    }
    if (root == null || !root.isObject()) {
      throw new TeacherCallFailed("The teacher's answer is not a JSON object: " + excerpt(answer));
    }
    return root;
  }

  /** Distinct, non-blank strings of {@code key}, at most {@code limit}. */
  static List<String> list(String answer, String key, int limit) throws TeacherCallFailed {
    JsonNode array = object(answer).path(key);
    if (!array.isArray()) {
      throw new TeacherCallFailed(
          "The teacher's answer has no \"" + key + "\" list: " + excerpt(answer));
    }
    Set<String> seen = new LinkedHashSet<>();
    for (JsonNode item : array) {
      if (item.isString() && !item.stringValue().isBlank() && seen.size() < limit) {
        String text = item.stringValue().strip();
        seen.add(text.length() > 500 ? text.substring(0, 500) : text);
      }
    }
    if (seen.isEmpty()) {
      throw new TeacherCallFailed(
          "The teacher's \"" + key + "\" list is empty: " + excerpt(answer));
    }
    return new ArrayList<>(seen);
  }

  static Verdict verdict(String answer) throws TeacherCallFailed {
    JsonNode root = object(answer);
    String verdict =
        root.path("verdict").isString()
            ? root.path("verdict").stringValue().strip().toLowerCase(Locale.ROOT)
            : "";
    String reason = root.path("reason").isString() ? root.path("reason").stringValue().strip() : "";
    if (!verdict.equals("accept") && !verdict.equals("reject")) {
      throw new TeacherCallFailed(
          "The judge's verdict is neither \"accept\" nor \"reject\": " + excerpt(answer));
    }
    boolean accepted = verdict.equals("accept");
    return new Verdict(
        accepted,
        reason.isEmpty() ? (accepted ? "accepted" : "rejected without a reason") : reason);
  }

  /** The verdict with its score, which must be a whole number from 1 to 10. */
  static Verdict scoredVerdict(String answer) throws TeacherCallFailed {
    Verdict verdict = verdict(answer);
    JsonNode score = object(answer).path("score");
    if (!score.isNumber()
        || score.asDouble() != Math.rint(score.asDouble())
        || score.asDouble() < 1
        || score.asDouble() > 10) {
      throw new TeacherCallFailed(
          "The judge's score is not a whole number from 1 to 10: " + excerpt(answer));
    }
    return new Verdict(verdict.accepted(), verdict.reason(), score.asInt());
  }

  /**
   * The filter: the extraction must be a JSON object whose keys are exactly the schema's.
   *
   * @return the reason it fails, or null when it passes
   */
  static @Nullable String filterProblem(String extraction, ExtractionSchema schema) {
    JsonNode root;
    try {
      root = object(extraction);
    } catch (TeacherCallFailed e) {
      return e.getMessage();
    }
    Set<String> keys = new LinkedHashSet<>(root.propertyNames());
    List<String> missing = schema.names().stream().filter(name -> !keys.contains(name)).toList();
    List<String> extra = keys.stream().filter(key -> !schema.names().contains(key)).toList();
    if (missing.isEmpty() && extra.isEmpty()) {
      return null;
    }
    return "Keys do not match the schema:"
        + (missing.isEmpty() ? "" : " missing " + String.join(", ", missing))
        + (extra.isEmpty()
            ? ""
            : (missing.isEmpty() ? "" : ";") + " not in the schema " + String.join(", ", extra));
  }

  /** The extraction in one canonical form: the schema's key order, compact. */
  static String canonical(String extraction, ExtractionSchema schema) throws TeacherCallFailed {
    JsonNode root = object(extraction);
    var ordered = JSON.createObjectNode();
    for (String name : schema.names()) {
      ordered.set(name, root.get(name));
    }
    return JSON.writeValueAsString(ordered);
  }

  static String excerpt(String text) {
    String flat = text.strip().replaceAll("\\s+", " ");
    return flat.length() > 200 ? flat.substring(0, 200) + "…" : flat;
  }
}
