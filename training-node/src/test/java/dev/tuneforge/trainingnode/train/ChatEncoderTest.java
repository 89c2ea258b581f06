package dev.tuneforge.trainingnode.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.tuneforge.chat.ChatDataset;
import dev.tuneforge.chat.ChatEncoder;
import dev.tuneforge.chat.ChatMessage;
import dev.tuneforge.chat.Conversation;
import dev.tuneforge.chat.DatasetException;
import dev.tuneforge.chat.EncodedExample;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import dev.tuneforge.trainingnode.model.TestEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatEncoderTest {

  static {
    TestEngine.useOneThread();
  }

  @TempDir static Path dir;
  private static HuggingFaceTokenizer tokenizer;

  @BeforeAll
  static void loadTokenizer() throws IOException {
    DemoModelWriter.write(dir, 1);
    tokenizer = ChatEncoder.loadTokenizer(dir);
  }

  @AfterAll
  static void closeTokenizer() {
    tokenizer.close();
  }

  @Test
  void rendersChatMlAndLabelsOnlyAssistantContentAndItsEndToken() {
    Conversation conversation =
        ChatDataset.parse(
            1,
            """
            {"id":"x","messages":[{"role":"system","content":"Extract."},{"role":"user","content":"Grüße 12,50 €"},\
            {"role":"assistant","content":"{\\"total\\": \\"12,50\\"}"}]}""");

    EncodedExample example = new ChatEncoder(tokenizer, 1024).encode(conversation);

    assertThat(tokenizer.decode(example.inputIds(), false))
        .isEqualTo(
            "<|im_start|>system\nExtract.<|im_end|>\n<|im_start|>user\nGrüße 12,50 €<|im_end|>\n"
                + "<|im_start|>assistant\n{\"total\": \"12,50\"}<|im_end|>\n");
    assertThat(tokenizer.decode(labelled(example), false))
        .isEqualTo("{\"total\": \"12,50\"}<|im_end|>");
    assertThat(example.labels()[example.length() - 1]).isEqualTo(ChatEncoder.IGNORE);
    assertThat(example.truncated()).isFalse();
  }

  @Test
  void skipsAssistantMessagesWithWeightZero() {
    Conversation conversation =
        ChatDataset.parse(
            1,
            """
            {"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"old","weight":0},\
            {"role":"user","content":"b"},{"role":"assistant","content":"new","weight":1}]}""");

    EncodedExample example = new ChatEncoder(tokenizer, 1024).encode(conversation);

    assertThat(tokenizer.decode(labelled(example), false)).isEqualTo("new<|im_end|>");
  }

  @Test
  void theIdsAloneEqualTheTokenizersFullEncodingOnEveryMessage() throws IOException {
    ChatEncoder encoder = new ChatEncoder(tokenizer, 1024);
    List<String> texts =
        ChatDataset.read(TrainerTest.SROIE).stream()
            .flatMap(c -> c.messages().stream())
            .map(ChatMessage::content)
            .toList();
    assertThat(texts).hasSizeGreaterThan(40);
    for (String text : texts) {
      assertThat(encoder.ids(text)).isEqualTo(tokenizer.encode(text, false, false).getIds());
    }
    assertThat(encoder.ids("")).isEmpty();
  }

  @Test
  void specialTokensInTextMapToTheirIds() {
    long[] ids = tokenizer.encode("<|im_end|>", false, false).getIds();

    assertThat(ids).hasSize(1);
  }

  @Test
  void padsWithThePadTokenOfTheTokenizerConfig() throws IOException {
    assertThat(ChatEncoder.padTokenId(dir, tokenizer))
        .isEqualTo(tokenizer.encode("<|endoftext|>", false, false).getIds()[0]);
  }

  @Test
  void truncatesFromTheRight() {
    Conversation conversation =
        ChatDataset.parse(
            1,
            "{\"messages\":[{\"role\":\"user\",\"content\":\""
                + "word ".repeat(400)
                + "\"},{\"role\":\"assistant\",\"content\":\"ok\"}]}");

    EncodedExample full = new ChatEncoder(tokenizer, 4096).encode(conversation);
    EncodedExample cut = new ChatEncoder(tokenizer, 16).encode(conversation);

    assertThat(full.length()).isGreaterThan(800);
    assertThat(full.trainableTokens()).isPositive();
    assertThat(cut.length()).isEqualTo(16);
    assertThat(cut.truncated()).isTrue();
    assertThat(cut.inputIds()).isEqualTo(Arrays.copyOf(full.inputIds(), 16));
    assertThat(cut.trainableTokens()).isZero();
  }

  @Test
  void namesTheLineOfABadExample() throws IOException {
    Path data = dir.resolve("bad.jsonl");
    Files.write(
        data,
        List.of(
            "{\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":\"b\"}]}",
            "",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"a\"}"));

    assertThatThrownBy(() -> ChatDataset.read(data))
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith("line 3 of the dataset: not valid JSON");
    assertThatThrownBy(
            () -> ChatDataset.parse(4, "{\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}"))
        .hasMessage("line 4 of the dataset: no assistant message to learn from");
    assertThatThrownBy(
            () -> ChatDataset.parse(5, "{\"messages\":[{\"role\":\"bot\",\"content\":\"a\"}]}"))
        .hasMessageContaining("line 5 of the dataset: message 1 has role \"bot\"");
    assertThatThrownBy(
            () -> ChatDataset.parse(6, "{\"messages\":[{\"role\":\"tool\",\"content\":\"a\"}]}"))
        .hasMessage(
            "line 6 of the dataset: message 1 is a tool result without a tool call before it");
  }

  private static long[] labelled(EncodedExample example) {
    return LongStream.of(example.labels()).filter(l -> l != ChatEncoder.IGNORE).toArray();
  }
}
