package dev.tuneforge.app.dataset.ingest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One preference pair read from the layouts teams have them in, as a prompt (messages) and two
 * answers (assistant messages):
 *
 * <ul>
 *   <li>OpenAI's {@code {"input": {"messages": [...]}, "preferred_output": [...],
 *       "non_preferred_output": [...]}};
 *   <li>TRL's and LLM judges' {@code {"prompt", "chosen", "rejected"}}, each text or a list of
 *       messages; without {@code prompt}, two conversations whose shared start is the prompt;
 *   <li>LLaMA-Factory's ShareGPT pairs ({@code conversations} with {@code chosen}/{@code rejected}
 *       turns) and Alpaca pairs ({@code instruction}, {@code input}, {@code chosen}, {@code
 *       rejected} as text).
 * </ul>
 */
record PreferenceRow(List<Message> prompt, List<Message> chosen, List<Message> rejected) {

  /** One message; {@code role} is system, user or assistant. */
  record Message(String role, String content) {}

  /** A row that is no preference pair, with the reason. */
  static final class Malformed extends Exception {
    Malformed(String reason) {
      super(reason);
    }
  }

  private static final Map<String, String> ROLES =
      Map.of(
          "system", "system",
          "user", "user",
          "human", "user",
          "assistant", "assistant",
          "gpt", "assistant");

  /** Whether a row with these top-level keys is a preference pair, in any layout read here. */
  static boolean isPreference(Collection<String> keys) {
    return keys.contains("preferred_output")
        || keys.contains("non_preferred_output")
        || keys.contains("chosen") && keys.contains("rejected");
  }

  static PreferenceRow read(JsonNode row) throws Malformed {
    if (!row.isObject()) {
      throw new Malformed("expected a JSON object holding a preference pair");
    }
    if (row.has("preferred_output") || row.has("non_preferred_output")) {
      JsonNode input = row.path("input");
      if (!input.isObject()) {
        throw new Malformed("missing the \"input\" object with the prompt's \"messages\"");
      }
      return pair(
          messages(input.path("messages"), "input.messages"),
          answer(row.path("preferred_output"), "preferred_output"),
          answer(row.path("non_preferred_output"), "non_preferred_output"));
    }
    for (String key : List.of("chosen", "rejected")) {
      if (!row.has(key)) {
        throw new Malformed("missing \"" + key + "\": a preference pair needs both answers");
      }
    }
    if (row.has("conversations")) {
      List<Message> prompt = messages(row.path("conversations"), "conversations");
      return pair(
          prompt,
          answer(row.path("chosen"), "chosen", prompt),
          answer(row.path("rejected"), "rejected", prompt));
    }
    if (row.has("instruction")) {
      String input = row.path("input").asString("");
      String instruction = text(row.path("instruction"), "instruction");
      String prompt = input.isBlank() ? instruction : instruction + "\n" + input;
      return pair(
          List.of(new Message("user", prompt)),
          answer(row.path("chosen"), "chosen"),
          answer(row.path("rejected"), "rejected"));
    }
    if (row.has("prompt")) {
      JsonNode given = row.path("prompt");
      List<Message> prompt =
          given.isString()
              ? List.of(new Message("user", given.asString()))
              : messages(given, "prompt");
      return pair(
          prompt,
          answer(row.path("chosen"), "chosen", prompt),
          answer(row.path("rejected"), "rejected", prompt));
    }
    return sharedStart(
        messages(row.path("chosen"), "chosen"), messages(row.path("rejected"), "rejected"));
  }

  /** Two whole conversations: the messages they share from the start are the prompt. */
  private static PreferenceRow sharedStart(List<Message> chosen, List<Message> rejected)
      throws Malformed {
    int shared = 0;
    while (shared < Math.min(chosen.size(), rejected.size()) - 1
        && chosen.get(shared).equals(rejected.get(shared))) {
      shared++;
    }
    if (shared == 0) {
      throw new Malformed(
          "missing \"prompt\", and \"chosen\" and \"rejected\" do not start with the same prompt");
    }
    if (!chosen.get(shared).role().equals("assistant")
        || !rejected.get(shared).role().equals("assistant")) {
      throw new Malformed(
          "the prompts differ: \"chosen\" and \"rejected\" part at message "
              + (shared + 1)
              + ", which is not the assistant's answer; a pair compares two answers to one prompt");
    }
    return pair(
        chosen.subList(0, shared),
        checkedAnswer(chosen.subList(shared, chosen.size()), "chosen"),
        checkedAnswer(rejected.subList(shared, rejected.size()), "rejected"));
  }

  private static PreferenceRow pair(
      List<Message> prompt, List<Message> chosen, List<Message> rejected) throws Malformed {
    if (prompt.isEmpty() || prompt.stream().noneMatch(m -> m.role().equals("user"))) {
      throw new Malformed("the prompt has no user message");
    }
    return new PreferenceRow(List.copyOf(prompt), List.copyOf(chosen), List.copyOf(rejected));
  }

  /**
   * An answer given beside its prompt. As some tools write it, a list of messages may repeat the
   * prompt before the answer: it is taken off when it is the prompt message for message, and a
   * different start is the pair's problem (the two answers would not answer one prompt).
   */
  private static List<Message> answer(JsonNode value, String key, List<Message> prompt)
      throws Malformed {
    if (!value.isArray() || value.isEmpty()) {
      return answer(value, key);
    }
    List<Message> messages = messages(value, key);
    if (messages.getFirst().role().equals("assistant")) {
      return checkedAnswer(messages, key);
    }
    for (int i = 0; i < prompt.size(); i++) {
      if (i >= messages.size() || !messages.get(i).equals(prompt.get(i))) {
        throw new Malformed(
            "\""
                + key
                + "\" starts with a "
                + messages.getFirst().role()
                + " message but does not repeat the prompt (message "
                + (i + 1)
                + " differs): an answer is the assistant's, after the prompt");
      }
    }
    return checkedAnswer(messages.subList(prompt.size(), messages.size()), key);
  }

  /** An answer: text, one assistant message, or a list of assistant messages. */
  private static List<Message> answer(JsonNode value, String key) throws Malformed {
    if (value.isMissingNode() || value.isNull()) {
      throw new Malformed("missing \"" + key + "\"");
    }
    if (value.isString()) {
      return List.of(new Message("assistant", value.asString()));
    }
    if (value.isObject()) {
      return checkedAnswer(List.of(message(value, key)), key);
    }
    return checkedAnswer(messages(value, key), key);
  }

  private static List<Message> checkedAnswer(List<Message> answer, String key) throws Malformed {
    if (answer.isEmpty()) {
      throw new Malformed("\"" + key + "\" holds no answer");
    }
    for (Message message : answer) {
      if (!message.role().equals("assistant")) {
        throw new Malformed(
            "\"" + key + "\" has a " + message.role() + " message; an answer is the assistant's");
      }
    }
    return answer;
  }

  private static List<Message> messages(JsonNode value, String key) throws Malformed {
    if (!value.isArray()) {
      throw new Malformed(
          "\"" + key + "\" must be " + (value.isMissingNode() ? "given" : "a list of messages"));
    }
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      messages.add(message(value.get(i), key + "[" + i + "]"));
    }
    return messages;
  }

  /** {@code {"role", "content"}} or ShareGPT's {@code {"from", "value"}}. */
  private static Message message(JsonNode value, String where) throws Malformed {
    if (!value.isObject()) {
      throw new Malformed(where + " is not a message object");
    }
    boolean shareGpt = !value.has("role") && value.has("from");
    String role = value.path(shareGpt ? "from" : "role").asString("");
    String mapped = ROLES.get(role);
    if (mapped == null) {
      throw new Malformed(where + " has role \"" + role + "\"; expected system, user or assistant");
    }
    return new Message(mapped, text(value.path(shareGpt ? "value" : "content"), where));
  }

  private static String text(JsonNode value, String where) throws Malformed {
    if (!value.isString()) {
      throw new Malformed(where + (value.isMissingNode() ? " has no text" : " is not text"));
    }
    return value.asString();
  }

  /**
   * What makes a well-formed pair useless to DPO, or null: an answer that is empty (or only white
   * space), or two answers of the same text, from which there is nothing to learn.
   */
  @Nullable String uselessBecause() {
    String chosenText = text(chosen);
    String rejectedText = text(rejected);
    if (chosenText.isBlank() || rejectedText.isBlank()) {
      return "the "
          + (chosenText.isBlank() ? "chosen" : "rejected")
          + " answer is empty; a pair needs two answers to compare";
    }
    if (chosenText.strip().equals(rejectedText.strip())) {
      return "the chosen and rejected answers are the same text; the pair teaches nothing";
    }
    return null;
  }

  /** The text of an answer's messages, for comparing and measuring answers. */
  static String text(List<Message> answer) {
    StringBuilder text = new StringBuilder();
    for (Message message : answer) {
      text.append(message.content());
    }
    return text.toString();
  }
}
