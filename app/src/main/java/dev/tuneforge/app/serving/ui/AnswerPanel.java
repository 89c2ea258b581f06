package dev.tuneforge.app.serving.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import dev.tuneforge.app.serving.Playground;
import dev.tuneforge.protocol.GenerationChunk;
import java.util.List;

/** One model's side of the playground: its answer as it streams, how it ended, its field marks. */
final class AnswerPanel extends VerticalLayout {
  private final H3 title = new H3();
  private final Pre answer = new Pre();
  private final Span status = new Span();
  private final Div marks = new Div();

  AnswerPanel(String id, String heading) {
    title.setText(heading);
    answer.setId("playground-" + id + "-answer");
    answer.getStyle().set("white-space", "pre-wrap").set("min-height", "6em").set("width", "100%");
    status.setId("playground-" + id + "-status");
    marks.setId("playground-" + id + "-marks");
    setWidth("50%");
    add(title, status, answer, marks);
  }

  void title(String model) {
    title.setTitle(model);
  }

  String answer() {
    return answer.getText();
  }

  void start() {
    answer.setText("");
    marks.removeAll();
    status.setText("waiting for a serving node…");
    status.getElement().setAttribute("data-state", "running");
  }

  void text(String text) {
    answer.setText(text);
    status.setText("streaming…");
  }

  void problem(String text) {
    status.setText(text);
    status.getElement().setAttribute("data-state", "failed");
  }

  void end(GenerationChunk last, List<Playground.FieldMark> fieldMarks) {
    if (last.error() != null) {
      problem(last.error());
      return;
    }
    GenerationChunk.Usage usage = last.usage();
    status.setText(
        "done ("
            + last.finishReason()
            + (usage == null
                ? ""
                : ", " + usage.promptTokens() + " prompt + " + usage.completionTokens() + " tokens")
            + ")");
    status.getElement().setAttribute("data-state", "done");
    for (Playground.FieldMark mark : fieldMarks) {
      Span badge = new Span((mark.right() ? "✓ " : "✗ ") + mark.path());
      badge.getElement().getThemeList().add("badge");
      badge.getElement().getThemeList().add(mark.right() ? "success" : "error");
      badge.getElement().setAttribute("data-status", mark.right() ? "right" : "wrong");
      badge
          .getElement()
          .setAttribute("title", "expected " + mark.expected() + ", got " + mark.given());
      badge.getStyle().set("margin", "1px");
      marks.add(badge);
    }
  }
}
