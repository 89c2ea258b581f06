package dev.tuneforge.app.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.app.teacher.TeacherPairs.Outcome;
import dev.tuneforge.app.teacher.TeacherPairs.Scored;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When two scored extractions of a document make a preference pair, and how pairs are written. */
class TeacherPairsTest {
  private static final String RIGHT = "{\"company\":\"ACME\",\"total\":\"9.90\"}";
  private static final String WRONG = "{\"company\":\"ACME\",\"total\":\"1.00\"}";

  @Test
  void theBetterAcceptableExtractionIsChosenWhenTheScoresDifferByTheMargin() {
    assertThat(TeacherPairs.decide(new Scored(RIGHT, 9, true), new Scored(WRONG, 7, true), 2))
        .isEqualTo(Outcome.PAIR);
    assertThat(TeacherPairs.decide(new Scored(WRONG, 3, true), new Scored(RIGHT, 9, true), 2))
        .as("the sample may be the better one")
        .isEqualTo(Outcome.PAIR);
  }

  @Test
  void closeScoresAndTheSameExtractionTwiceAreTies() {
    assertThat(TeacherPairs.decide(new Scored(RIGHT, 9, true), new Scored(WRONG, 8, true), 2))
        .isEqualTo(Outcome.TIE);
    String reordered = "{\"total\":\"9.90\",\"company\":\"ACME\"}";
    assertThat(TeacherPairs.decide(new Scored(RIGHT, 9, true), new Scored(reordered, 3, true), 2))
        .as("the same JSON in another key order teaches nothing, whatever the judge said")
        .isEqualTo(Outcome.TIE);
  }

  @Test
  void aBetterExtractionTheJudgeOrTheFilterRefusedIsNoPair() {
    assertThat(TeacherPairs.decide(new Scored(RIGHT, 6, false), new Scored(WRONG, 2, true), 2))
        .isEqualTo(Outcome.WITHOUT_ACCEPTABLE);
  }

  @Test
  void pairsAreWrittenAsChosenAndRejectedMessagesAfterThePrompt() throws Exception {
    StringWriter out = new StringWriter();
    TeacherPairs.write(
        "Extract the fields.", List.of(new TeacherPairs.Pair("RECEIPT", RIGHT, WRONG)), out);
    assertThat(out.toString())
        .isEqualTo(
            "{\"prompt\":[{\"role\":\"system\",\"content\":\"Extract the fields.\"},"
                + "{\"role\":\"user\",\"content\":\"RECEIPT\"}],"
                + "\"chosen\":[{\"role\":\"assistant\",\"content\":"
                + TeacherAnswers.JSON.writeValueAsString(RIGHT)
                + "}],\"rejected\":[{\"role\":\"assistant\",\"content\":"
                + TeacherAnswers.JSON.writeValueAsString(WRONG)
                + "}]}\n");
  }

  @Test
  void aScoredVerdictNeedsAWholeScoreFromOneToTen() throws Exception {
    assertThat(
            TeacherAnswers.scoredVerdict(
                "{\"verdict\": \"accept\", \"score\": 8, \"reason\": \"fine\"}"))
        .isEqualTo(new TeacherAnswers.Verdict(true, "fine", 8));
    assertThat(TeacherAnswers.scoredVerdict("{\"verdict\": \"reject\", \"score\": 2.0}").score())
        .isEqualTo(2);
    for (String bad : List.of("11", "0", "7.5", "\"high\"")) {
      assertThatThrownBy(
              () ->
                  TeacherAnswers.scoredVerdict("{\"verdict\": \"accept\", \"score\": " + bad + "}"))
          .hasMessageStartingWith("The judge's score is not a whole number from 1 to 10");
    }
    assertThatThrownBy(() -> TeacherAnswers.scoredVerdict("{\"verdict\": \"accept\"}"))
        .hasMessageStartingWith("The judge's score is not a whole number from 1 to 10");
  }
}
