package dev.tuneforge.app.dataset.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.chat.ChatMessage;
import dev.tuneforge.chat.ChatTemplate;
import java.util.List;
import org.junit.jupiter.api.Test;

class TemplateShapesTest {

  private static List<ChatMessage> row(String user, String answer) {
    return List.of(
        ChatMessage.of("system", "Extract the total."),
        ChatMessage.of("user", user),
        ChatMessage.of("assistant", answer));
  }

  @Test
  void rowsOfOneShapeAreSplicedIntoOneRenderingAndEqualTheirOwnRendering() {
    ChatTemplate template = ChatTemplate.chatMl();
    TemplateShapes shapes = new TemplateShapes(template);
    for (int i = 0; i < 200; i++) {
      List<ChatMessage> row = row("TOTAL RM " + i + ".00\nCASH", "{\"total\": \"" + i + ".00\"}");
      assertThat(shapes.segments(row)).isEqualTo(template.segments(row));
    }
    assertThat(shapes.spliced()).isGreaterThan(190);
  }

  @Test
  void contentATemplateLooksIntoIsRenderedInFull() {
    ChatTemplate template = ChatTemplate.chatMl();
    TemplateShapes shapes = new TemplateShapes(template);
    List<List<ChatMessage>> rows =
        List.of(
            row("  padded  ", "{}"),
            row("a <think>tag</think>", "{}"),
            row("", "{}"),
            row("fine", "answer\n"));
    for (List<ChatMessage> row : rows) {
      assertThat(shapes.segments(row)).isEqualTo(template.segments(row));
    }
    assertThat(shapes.spliced()).isZero();
    assertThat(shapes.rendered()).isEqualTo(rows.size());
  }

  @Test
  void aTemplateThatChangesContentFailsItsFirstCheckAndIsRenderedPerRowFromThen() {
    ChatTemplate template =
        new ChatTemplate(
            "{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] | upper }}<|end|>{% endfor %}"
                + "{% if add_generation_prompt %}<|assistant|>{% endif %}",
            "", "<|end|>");
    TemplateShapes shapes = new TemplateShapes(template);
    for (int i = 0; i < 100; i++) {
      List<ChatMessage> row = row("total " + i, "answer " + i);
      assertThat(shapes.segments(row)).isEqualTo(template.segments(row));
    }
    assertThat(shapes.spliced()).isZero();
  }

  @Test
  void aSampledRowThatDiffersAfterRowsWereSplicedIsReportedSoTheyAreCountedAgain() {
    ChatTemplate template =
        new ChatTemplate(
            "{% for m in messages %}<|{{ m['role'] }}|>{% if m['content'] | length > 40 %}LONG"
                + "{% endif %}{{ m['content'] }}<|end|>{% endfor %}"
                + "{% if add_generation_prompt %}<|assistant|>{% endif %}",
            "", "<|end|>");
    TemplateShapes shapes = new TemplateShapes(template);
    for (int i = 1; i < TemplateShapes.SAMPLE_EVERY; i++) {
      shapes.segments(row("short " + i, "answer"));
    }
    assertThat(shapes.spliced()).isPositive();
    assertThatThrownBy(
            () -> shapes.segments(row("a row long enough to change how it renders", "answer")))
        .isInstanceOf(TemplateShapes.Mismatch.class);
  }
}
