package dev.tuneforge.app.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** How teacher answers are read and checked, and where calls go. */
class TeacherAnswersTest {
  private static final ExtractionSchema SCHEMA =
      ExtractionSchema.parse("company: seller\n\ntotal: amount paid\n");

  @Test
  void listsToleratesAFenceAndDropsDuplicatesAndExtras() throws Exception {
    assertThat(
            TeacherAnswers.list(
                "```json\n{\"categories\": [\"A\", \"A\", \" B \", \"\", 3, \"C\"]}\n```",
                "categories",
                2))
        .containsExactly("A", "B");
    assertThatThrownBy(() -> TeacherAnswers.list("{\"items\": []}", "categories", 2))
        .hasMessageStartingWith("The teacher's answer has no \"categories\" list");
  }

  @Test
  void theJudgeMustSayAcceptOrReject() throws Exception {
    assertThat(TeacherAnswers.verdict("{\"verdict\": \"Reject\", \"reason\": \"date is wrong\"}"))
        .isEqualTo(new TeacherAnswers.Verdict(false, "date is wrong"));
    assertThatThrownBy(() -> TeacherAnswers.verdict("{\"verdict\": \"maybe\"}"))
        .hasMessageStartingWith("The judge's verdict is neither");
  }

  @Test
  void theFilterNamesMissingAndExtraKeys() throws Exception {
    assertThat(TeacherAnswers.filterProblem("{\"total\": \"1\", \"company\": null}", SCHEMA))
        .isNull();
    assertThat(TeacherAnswers.filterProblem("{\"company\": \"x\", \"tax\": 1}", SCHEMA))
        .isEqualTo("Keys do not match the schema: missing total; not in the schema tax");
    assertThat(TeacherAnswers.filterProblem("[1]", SCHEMA))
        .startsWith("The teacher's answer is not a JSON object");
    assertThat(TeacherAnswers.canonical("{\"total\": \"1\", \"company\": \"x\"}", SCHEMA))
        .isEqualTo("{\"company\":\"x\",\"total\":\"1\"}");
  }

  @Test
  void callsGoToChatCompletionsUnderTheBaseUrl() {
    assertThat(TeacherClient.completionsUri("https://api.openai.com/v1/").toString())
        .isEqualTo("https://api.openai.com/v1/chat/completions");
    assertThat(TeacherClient.completionsUri("http://localhost:8000").toString())
        .isEqualTo("http://localhost:8000/v1/chat/completions");
    assertThat(TeacherClient.completionsUri("https://host/openai/v1").toString())
        .isEqualTo("https://host/openai/v1/chat/completions");
    // An escaped "?" or "#" in the base stays part of the path: it cannot choose the query.
    assertThat(TeacherClient.completionsUri("https://host/probe%3Fa=b%23").toString())
        .isEqualTo("https://host/probe%3Fa=b%23/chat/completions");
  }

  @Test
  void theSchemaSurvivesStorageAndNamesItsFieldsInThePrompt() {
    assertThat(ExtractionSchema.fromJson(SCHEMA.toJson())).isEqualTo(SCHEMA);
    assertThat(SCHEMA.systemPrompt()).contains("- company: seller\n- total: amount paid");
    assertThatThrownBy(() -> ExtractionSchema.parse("a: x\na: y"))
        .hasMessage("Schema line 2: the field 'a' is listed twice");
    assertThatThrownBy(() -> ExtractionSchema.parse("\n"))
        .hasMessageStartingWith("The schema needs at least one field");
  }
}
