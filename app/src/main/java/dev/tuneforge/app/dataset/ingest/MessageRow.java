package dev.tuneforge.app.dataset.ingest;

import dev.tuneforge.app.dataset.quality.RowMessages;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A prompt and one answer of a preference pair as the quality analyser reads a row; what it
 * redacts, {@link #prompt()} and {@link #answer()} return redacted.
 */
final class MessageRow implements RowMessages {

  private final List<PreferenceRow.Message> messages;
  private final int promptSize;
  private char[] chars;
  private int[] starts;

  MessageRow(List<PreferenceRow.Message> prompt, List<PreferenceRow.Message> answer) {
    this.messages = new ArrayList<>(prompt);
    this.messages.addAll(answer);
    this.promptSize = prompt.size();
    pack();
  }

  private void pack() {
    StringBuilder text = new StringBuilder();
    starts = new int[messages.size() + 1];
    for (int i = 0; i < messages.size(); i++) {
      starts[i] = text.length();
      text.append(messages.get(i).content());
    }
    starts[messages.size()] = text.length();
    chars = text.toString().toCharArray();
  }

  List<PreferenceRow.Message> prompt() {
    return List.copyOf(messages.subList(0, promptSize));
  }

  List<PreferenceRow.Message> answer() {
    return List.copyOf(messages.subList(promptSize, messages.size()));
  }

  @Override
  public int size() {
    return messages.size();
  }

  @Override
  public byte role(int i) {
    return switch (messages.get(i).role()) {
      case "system" -> 0;
      case "user" -> 1;
      default -> 2;
    };
  }

  @Override
  public boolean assistant(int i) {
    return messages.get(i).role().equals("assistant");
  }

  @Override
  public char[] chars() {
    return chars;
  }

  @Override
  public int textStart(int i) {
    return starts[i];
  }

  @Override
  public int textLength(int i) {
    return starts[i + 1] - starts[i];
  }

  @Override
  public String text(int i) {
    return messages.get(i).content();
  }

  @Override
  public void replaceText(int i, String replacement) {
    messages.set(i, new PreferenceRow.Message(messages.get(i).role(), replacement));
    pack();
  }

  @Override
  public int utf8Length(int i) {
    return messages.get(i).content().getBytes(StandardCharsets.UTF_8).length;
  }
}
