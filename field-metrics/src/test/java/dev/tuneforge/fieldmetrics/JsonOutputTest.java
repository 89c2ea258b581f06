package dev.tuneforge.fieldmetrics;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonOutputTest {

  @Test
  void readsAPlainObjectWithSurroundingWhitespace() {
    ParsedOutput parsed = JsonOutput.parse("\n  {\"company\": \"ACME\", \"total\": \"31.80\"}  \n");
    assertThat(parsed.valid()).isTrue();
    assertThat(parsed.fields()).containsExactly(entry("company", "ACME"), entry("total", "31.80"));
  }

  @Test
  void toleratesOneMarkdownFenceWithOrWithoutAJsonTag() {
    assertThat(JsonOutput.parse("```json\n{\"a\": \"1\"}\n```").fields()).containsEntry("a", "1");
    assertThat(JsonOutput.parse("  ```JSON\r\n{\"a\": \"1\"}```\n").fields())
        .containsEntry("a", "1");
    assertThat(JsonOutput.parse("```\n{\"a\": \"1\"}\n```").fields()).containsEntry("a", "1");
  }

  @Test
  void refusesProseAroundTheJsonAndOtherFenceTags() {
    assertThat(JsonOutput.parse("Here it is: {\"a\": \"1\"}").valid()).isFalse();
    assertThat(JsonOutput.parse("{\"a\": \"1\"} Hope this helps").valid()).isFalse();
    assertThat(JsonOutput.parse("Sure!\n```json\n{\"a\": \"1\"}\n```").valid()).isFalse();
    assertThat(JsonOutput.parse("```python\n{\"a\": \"1\"}\n```").valid()).isFalse();
    assertThat(JsonOutput.parse("```json\n{\"a\": \"1\"}").valid()).isFalse();
  }

  @Test
  void emptyOutputAndNonObjectsAreInvalid() {
    assertThat(JsonOutput.parse("").problem()).isEqualTo("empty output");
    assertThat(JsonOutput.parse(" \n\t").problem()).isEqualTo("empty output");
    assertThat(JsonOutput.parse("```json\n```").problem()).isEqualTo("empty output");
    assertThat(JsonOutput.parse("[{\"a\": 1}]").problem()).isEqualTo("not a JSON object");
    assertThat(JsonOutput.parse("\"a\"").problem()).isEqualTo("not a JSON object");
    assertThat(JsonOutput.parse("{'a': 1}").problem()).startsWith("not valid JSON");
    assertThat(JsonOutput.parse("{\"a\": 1,}").valid()).isFalse();
    assertThat(JsonOutput.parse("{\"a\": 1} {\"b\": 2}").valid()).isFalse();
  }

  @Test
  void duplicateKeysMakeTheOutputInvalid() {
    ParsedOutput parsed = JsonOutput.parse("{\"total\": \"1.00\", \"total\": \"2.00\"}");
    assertThat(parsed.valid()).isFalse();
    assertThat(parsed.problem()).contains("total");
  }

  @Test
  void flattensNestedObjectsAndArraysToKeyPaths() {
    ParsedOutput parsed =
        JsonOutput.parse(
            "{\"shop\": {\"name\": \"A\", \"geo\": {\"city\": \"KL\"}}, \"items\": [{\"name\": \"tea\", \"qty\": 2},"
                + " {\"name\": \"rice\"}], \"tags\": [\"x\", \"y\"], \"empty\": {}, \"none\": [], \"gone\": null}");
    assertThat(parsed.fields())
        .containsExactly(
            entry("shop.name", "A"),
            entry("shop.geo.city", "KL"),
            entry("items[0].name", "tea"),
            entry("items[0].qty", "2"),
            entry("items[1].name", "rice"),
            entry("tags[0]", "x"),
            entry("tags[1]", "y"));
  }

  @Test
  void numbersAndBooleansKeepTheTextTheyWereWrittenWith() {
    ParsedOutput parsed =
        JsonOutput.parse("{\"a\": 31.80, \"b\": 12, \"c\": true, \"d\": -0.5, \"e\": 1e2}");
    assertThat(parsed.fields())
        .containsEntry("a", "31.80")
        .containsEntry("b", "12")
        .containsEntry("c", "true")
        .containsEntry("d", "-0.5")
        .containsEntry("e", "100");
  }

  @Test
  void keepsUnicodeKeysAndValues() {
    ParsedOutput parsed =
        JsonOutput.parse("{\"société\": \"Café Ünïcode 日本\", \"emoji\": \"\\ud83d\\ude00\"}");
    assertThat(parsed.fields())
        .containsEntry("société", "Café Ünïcode 日本")
        .containsEntry("emoji", "😀");
  }
}
