package dev.tuneforge.trainingnode.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.chat.ChatMessage;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import dev.tuneforge.trainingnode.model.TestEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class JsonOnlyDecodingTest {

  static {
    TestEngine.useOneThread();
  }

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path dir;

  @Test
  void aRandomWeightsModelAnswersValidJsonEveryTime() throws IOException {
    DemoModelWriter.write(dir, 3);
    try (ServingEngine engine = ServingEngine.builder().setModelDirectory(dir).build()) {
      long[] prompt =
          engine.encodeChat(List.of(ChatMessage.of("user", "Extract the total: TOTAL 12.50")));
      List<Collected> answers = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        Collected answer = new Collected();
        // sampled hot, budgets from tight to loose, so that closing under pressure is exercised
        engine.submit(
            new Completion(prompt, null, null, 4 + 3 * i, 1.5, 1, i, List.of(), true), answer);
        answers.add(answer);
      }
      engine.runUntilIdle();

      int nonEmpty = 0;
      for (Collected answer : answers) {
        assertThat(answer.error).isNull();
        assertThat(answer.finishReason).isEqualTo("stop");
        JsonNode parsed = JSON.readTree(answer.text.toString());
        assertThat(parsed.isObject()).as(answer.text.toString()).isTrue();
        nonEmpty += parsed.isEmpty() ? 0 : 1;
      }
      assertThat(nonEmpty).as("some answers hold members, not only {}").isPositive();
    }
  }

  @Test
  void theGrammarAcceptsJsonAndRefusesWhatCannotContinueIt() {
    assertThat(accepts("{\"a\": [1, -2.5e+3, true, null, {\"b\": \"\\u00e9\\n\"}], \"c\": 0}"))
        .isTrue();
    assertThat(accepts("{}")).isTrue();
    for (String bad :
        List.of(
            "[1]", "{\"a\" 1}", "{\"a\": 01}", "{,}", "{\"a\": [1,]}", "{\"a\": tru}", "{} x")) {
      assertThat(accepts(bad)).as(bad).isFalse();
    }
    JsonGrammar open = new JsonGrammar();
    assertThat(open.accept("{\"key\": [\"val")).isTrue();
    assertThat(open.charactersToClose()).as("\"]}").isEqualTo(3);
    assertThat(open.accept("\"]}")).isTrue();
    assertThat(open.done()).isTrue();
  }

  private static boolean accepts(String text) {
    JsonGrammar grammar = new JsonGrammar();
    return grammar.accept(text) && grammar.done();
  }
}
