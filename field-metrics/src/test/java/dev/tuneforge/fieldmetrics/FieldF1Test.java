package dev.tuneforge.fieldmetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FieldF1Test {

  @Test
  void countsEachMarkAsTheConventionsSay() {
    // correct total (TP); wrong date (FP + FN); missing company (FN); extra phone (FP);
    // an invalid answer: its two expected fields are FN.
    List<FieldF1.Answer> answers =
        List.of(
            new FieldF1.Answer(
                "{\"total\": \"31.80\", \"date\": \"05/12/18\", \"company\": \"A\"}",
                "```json\n{\"total\": 31.8, \"date\": \"2018-12-06\", \"phone\": \"1\"}\n```"),
            new FieldF1.Answer("{\"total\": \"1\", \"date\": \"2\"}", "I cannot read it"));
    // TP 1, FP 2, FN 4: 2 / (2 + 6)
    assertThat(FieldF1.micro(answers)).isEqualTo(0.25);
  }

  @Test
  void nothingExpectedNorClaimedHasNoF1() {
    assertThat(FieldF1.micro(List.of(new FieldF1.Answer("{}", "{}")))).isNull();
    assertThat(FieldF1.micro(List.of(new FieldF1.Answer("{\"a\": null}", "no")))).isNull();
  }

  @Test
  void anExpectedAnswerThatIsNotAnObjectIsRefusedByPosition() {
    assertThat(FieldF1.applies("[1, 2]")).isFalse();
    assertThatThrownBy(
            () ->
                FieldF1.micro(
                    List.of(
                        new FieldF1.Answer("{\"a\": 1}", "{}"), new FieldF1.Answer("Paris", ""))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected answer 1 is not a JSON object");
  }
}
