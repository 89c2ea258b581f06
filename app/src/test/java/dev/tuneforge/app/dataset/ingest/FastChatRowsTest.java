package dev.tuneforge.app.dataset.ingest;

import static dev.tuneforge.app.SharedFiles.locate;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonParser;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fast reader takes only lines that Jackson and {@link ChatRows} read as valid rows, and reads
 * them into the same conversation: random lines from a grammar of what chat uploads hold, good and
 * bad (other keys and roles, weights Jackson reads differently, escapes of every kind, surrogates,
 * whitespace, broken syntax), and every SROIE row.
 */
class FastChatRowsTest {
  private static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder().build()).build();
  private static final String[] TEXT = {
    "a",
    "Total ",
    "€",
    "é",
    "東京",
    "\\n",
    "\\\"",
    "\\\\",
    "\\/",
    "\\u00e9",
    "\\u00E9",
    "\\u0001",
    "\\t",
    "\\ud83d\\ude00",
    "😀",
    "\\uD800",
    "\\x",
    "\\u12",
    "\u0001",
    "'",
    "{",
    "}",
    ",",
    ":"
  };
  private static final String[] ROLE = {
    "\"system\"", "\"user\"", "\"assistant\"", "\"tool\"", "\"User\"", "\"us\\u0065r\"", "null", "1"
  };
  private static final String[] WEIGHT = {
    "0", "1", "1 ", "2", "1.0", "10", "1e0", "-0", "01", "\"1\"", "null", "true"
  };
  private static final String[] SPACE = {"", "", "", " ", "\t", "  ", "\r"};
  private static final String[] OTHER = {
    "\"id\"", "\"source\"", "\"messages\"", "\"i\\u0064\"", "\"\"", "\"é\""
  };
  private static final String[] VALUE = {
    "7",
    "-12",
    "0",
    "01",
    "-",
    "1.5",
    "2e3",
    "true",
    "false",
    "null",
    "nul",
    "\"sroie-1\"",
    "\"a\\nb\"",
    "\"\\q\"",
    "\"\"",
    "[1]",
    "{\"a\":1}",
    "\"😀\""
  };

  @Test
  void readsOnlyValidRowsAndReadsThemAsJacksonDoes() {
    SplittableRandom random = new SplittableRandom(20261122);
    int taken = 0;
    int lines = 40_000;
    for (int n = 0; n < lines; n++) {
      taken += compare(line(random)) ? 1 : 0;
    }
    // Enough of the grammar's lines are valid for the comparison to mean something, and not all.
    assertThat(taken).isBetween(lines / 20, lines - lines / 20);
  }

  @Test
  void readsEverySroieRowAsJacksonDoes() throws IOException {
    int taken = 0;
    int lines = 0;
    for (String file : List.of("train.jsonl", "validation.jsonl")) {
      for (String line : Files.readAllLines(locate("shared/datasets/sroie/" + file))) {
        taken += compare(line) ? 1 : 0;
        lines++;
      }
    }
    // SROIE's rows, with their "id", are all of the shape the fast reader takes.
    assertThat(taken).isEqualTo(lines).isEqualTo(500);
  }

  /** Whether the fast reader took the line; when it did, Jackson read the same valid row. */
  private static boolean compare(String line) {
    byte[] bytes = ("»" + line + "«").getBytes(StandardCharsets.UTF_8);
    int start = "»".getBytes(StandardCharsets.UTF_8).length;
    int end = bytes.length - "«".getBytes(StandardCharsets.UTF_8).length;
    if (!Utf8Lines.wellFormed(bytes, start, end)) {
      return false;
    }
    ChatRowBuffer fast = new ChatRowBuffer();
    fast.readFrom(bytes, start);
    if (!FastChatRows.read(bytes, start, end, fast)) {
      return false;
    }
    ChatRowBuffer jackson = new ChatRowBuffer();
    jackson.readFrom(bytes, start);
    String problem;
    try (JsonParser p = JSON.createParser(bytes, start, end - start)) {
      problem = new ChatRows().read(p, jackson);
      assertThat(p.nextToken()).as(line).isNull();
    }
    assertThat(problem).as(line).isNull();
    assertThat(describe(fast)).as(line).isEqualTo(describe(jackson));
    for (int i = 0; i < fast.size(); i++) {
      // The span the canonical writer rewrites is the string's content, between its quotes.
      String json =
          new String(bytes, fast.jsonStart(i), fast.jsonLength(i), StandardCharsets.UTF_8);
      assertThat(JSON.readValue("\"" + json + "\"", String.class)).as(line).isEqualTo(fast.text(i));
      // Both readers tell the text's UTF-8 length from its JSON string.
      int utf8 = fast.text(i).getBytes(StandardCharsets.UTF_8).length;
      assertThat(fast.utf8Length(i)).as(line).isEqualTo(utf8);
      assertThat(jackson.utf8Length(i)).as(line).isEqualTo(utf8);
      assertThat(jackson.jsonStart(i)).as(line).isEqualTo(fast.jsonStart(i));
    }
    return true;
  }

  private static List<String> describe(ChatRowBuffer row) {
    List<String> messages = new ArrayList<>();
    for (int i = 0; i < row.size(); i++) {
      messages.add(
          row.role(i)
              + "/"
              + row.weight(i)
              + "/"
              + row.otherRole(i)
              + "/"
              + row.weightText(i)
              + "/"
              + (row.content(i) < 0 ? String.valueOf(row.content(i)) : row.text(i)));
    }
    return messages;
  }

  private static String line(SplittableRandom random) {
    StringBuilder line = new StringBuilder(space(random)).append('{').append(space(random));
    if (random.nextInt(4) == 0) {
      line.append(OTHER[random.nextInt(OTHER.length)])
          .append(space(random))
          .append(':')
          .append(space(random))
          .append(VALUE[random.nextInt(VALUE.length)])
          .append(space(random))
          .append(',')
          .append(space(random));
    }
    line.append(random.nextInt(30) == 0 ? "\"message\"" : "\"messages\"")
        .append(space(random))
        .append(':')
        .append(space(random))
        .append('[');
    int messages = random.nextInt(30) == 0 ? 0 : 1 + random.nextInt(4);
    for (int m = 0; m < messages; m++) {
      line.append(m > 0 ? "," : "").append(space(random)).append('{');
      List<String> fields = new ArrayList<>();
      String role =
          random.nextInt(4) == 0
              ? ROLE[random.nextInt(ROLE.length)]
              : m == messages - 1 ? "\"assistant\"" : ROLE[random.nextInt(3)];
      if (random.nextInt(40) != 0) {
        fields.add("\"role\"" + space(random) + ":" + space(random) + role);
      }
      if (random.nextInt(40) != 0) {
        fields.add("\"content\"" + space(random) + ":" + space(random) + content(random));
      }
      if (random.nextInt(3) == 0) {
        String weight =
            random.nextInt(3) == 0
                ? WEIGHT[random.nextInt(WEIGHT.length)]
                : WEIGHT[random.nextInt(2)];
        fields.add("\"weight\"" + space(random) + ":" + space(random) + weight);
      }
      if (random.nextInt(30) == 0) {
        fields.add(fields.isEmpty() ? "\"name\":\"x\"" : fields.get(0));
      }
      Collections.shuffle(fields, new Random(random.nextLong()));
      line.append(String.join("," + space(random), fields)).append(space(random)).append('}');
    }
    line.append(space(random)).append(']');
    if (random.nextInt(8) == 0) {
      line.append(space(random))
          .append(',')
          .append(space(random))
          .append(OTHER[random.nextInt(OTHER.length)])
          .append(':')
          .append(VALUE[random.nextInt(VALUE.length)]);
    }
    line.append(space(random)).append('}').append(space(random));
    if (random.nextInt(40) == 0) {
      line.append(random.nextBoolean() ? "}" : "x");
    }
    String text = line.toString();
    return random.nextInt(40) == 0 ? text.substring(0, random.nextInt(text.length() + 1)) : text;
  }

  private static String content(SplittableRandom random) {
    if (random.nextInt(40) == 0) {
      return random.nextBoolean() ? "null" : "[\"a\"]";
    }
    StringBuilder text = new StringBuilder("\"");
    for (int n = random.nextInt(8); n > 0; n--) {
      text.append(TEXT[random.nextInt(random.nextInt(4) == 0 ? TEXT.length : 9)]);
    }
    return text.append('"').toString();
  }

  private static String space(SplittableRandom random) {
    return SPACE[random.nextInt(SPACE.length)];
  }
}
