package dev.tuneforge.app.evaluation;

import dev.tuneforge.protocol.PromptMessage;
import java.util.List;

/**
 * What the judge is asked, word for word, for one example in one order: the request both models
 * answered, the expected answer as a reference, and the two answers as A and B. The page shows it;
 * its id is stored with every judge run, and changes when its wording does.
 */
public final class JudgePrompt {
  public static final String ID = "pairwise/v1";

  public static final String SYSTEM =
      "You are an impartial judge of two answers to the same request. Judge which answer serves"
          + " the request better: correct against the reference answer, complete, and in the form"
          + " the request asks for. Neither the order of the answers nor their length is a reason"
          + " to prefer one.";

  static final String OPENING = "Compare two answers to the same request.";
  static final String ANSWER_A = "[Answer A]";
  static final String ANSWER_B = "[Answer B]";
  static final String INSTRUCTION =
      "Which answer is better? Reply with JSON only:"
          + " {\"winner\": \"A\" or \"B\" or \"tie\", \"reason\": \"one sentence\"}";

  private JudgePrompt() {}

  /** The user message for one order: {@code first} shown as A, {@code second} as B. */
  public static String user(
      List<PromptMessage> request, String expected, String first, String second) {
    StringBuilder text = new StringBuilder(OPENING).append("\n\n[Request]\n");
    for (PromptMessage message : request) {
      text.append(message.role()).append(": ").append(message.content()).append('\n');
    }
    return text.append("\n[Reference answer]\n")
        .append(expected)
        .append("\n\n")
        .append(ANSWER_A)
        .append('\n')
        .append(first)
        .append("\n\n")
        .append(ANSWER_B)
        .append('\n')
        .append(second)
        .append("\n\n")
        .append(INSTRUCTION)
        .toString();
  }

  /** The prompt as the page shows it, with placeholders where each example's text goes. */
  public static String template() {
    return "System: "
        + SYSTEM
        + "\n\nUser: "
        + user(
            List.of(
                new PromptMessage("…", "{the request the models answered, message by message}")),
            "{the expected answer}",
            "{one model's answer}",
            "{the other model's answer}");
  }
}
