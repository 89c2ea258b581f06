package dev.tuneforge.trainingnode.generate;

import dev.tuneforge.chat.ChatEncoder;
import dev.tuneforge.chat.ChatMessage;
import dev.tuneforge.chat.Conversation;
import dev.tuneforge.chat.EncodedExample;
import dev.tuneforge.trainingnode.model.TokenBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Turns chat messages into prompt tokens exactly as training tokenized the same turns: the
 * trainer's {@link ChatEncoder} renders the conversation with an empty assistant reply as the only
 * labelled message, and the tokens before that label are the conversation rendered with {@code
 * add_generation_prompt}, tokenized as one text.
 */
public final class ChatPrompt {

  private final ChatEncoder encoder;

  public ChatPrompt(ChatEncoder encoder) {
    this.encoder = encoder;
  }

  /**
   * @throws IllegalArgumentException when the template renders no assistant turn for the messages
   */
  public long[] encode(List<ChatMessage> messages) {
    return encode(messages, List.of());
  }

  /**
   * The prompt of a conversation that declares {@code tools}: the schemas are passed to the
   * template, and earlier calls and tool results are rendered as training renders them.
   *
   * @throws IllegalArgumentException when the template renders no assistant turn for the messages
   */
  public long[] encode(List<ChatMessage> messages, List<Map<String, Object>> tools) {
    List<ChatMessage> conversation = new ArrayList<>();
    for (ChatMessage m : messages) {
      conversation.add(
          new ChatMessage(m.role(), m.content(), false, m.toolCalls(), m.toolCallId(), m.name()));
    }
    conversation.add(ChatMessage.of("assistant", ""));
    EncodedExample encoded = encoder.encode(new Conversation(1, conversation, tools));
    long[] labels = encoded.labels();
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != TokenBatch.IGNORE) {
        return Arrays.copyOf(encoded.inputIds(), i);
      }
    }
    throw new IllegalArgumentException(
        "the chat_template renders no assistant turn after these messages");
  }
}
