package dev.tuneforge.app.evaluation;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the judge answered for one order: answer A, answer B, a tie, or something that names none of
 * them (counted apart, and as no preference).
 */
public enum JudgeVerdict {
  A,
  B,
  TIE,
  UNREADABLE;

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern OBJECT = Pattern.compile("\\{.*}", Pattern.DOTALL);

  /** Reads {@code {"winner": "A"|"B"|"tie", …}}, also inside a code fence or around prose. */
  public static JudgeVerdict parse(String answer) {
    Matcher object = OBJECT.matcher(answer);
    if (!object.find()) {
      return UNREADABLE;
    }
    try {
      JsonNode winner = JSON.readTree(object.group()).path("winner");
      if (!winner.isString()) {
        return UNREADABLE;
      }
      return switch (winner.stringValue().strip().toLowerCase(Locale.ROOT)) {
        case "a" -> A;
        case "b" -> B;
        case "tie" -> TIE;
        default -> UNREADABLE;
      };
    } catch (JacksonException e) {
      return UNREADABLE;
    }
  }
}
