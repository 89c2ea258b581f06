package dev.tuneforge.app.dataset.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/** The canonical file is byte for byte what Jackson's generator wrote before the fast writer. */
class CanonicalWriterTest {
  private static final JsonMapper JSON =
      JsonMapper.builder(
              JsonFactory.builder()
                  .rootValueSeparator((String) null)
                  .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                  .build())
          .build();

  private static ChatRowBuffer row(String user, String assistant, int weight) {
    ChatRowBuffer row = new ChatRowBuffer();
    row.add(ChatRowBuffer.SYSTEM, row.copyText("Extract the fields."));
    row.add(ChatRowBuffer.USER, row.copyText(user));
    row.add(ChatRowBuffer.ASSISTANT, null, row.copyText(assistant), weight, null);
    return row;
  }

  private static void assertSameAsJackson(List<ChatRowBuffer> rows, int bufferSize)
      throws IOException {
    ByteArrayOutputStream jackson = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(jackson)) {
      rows.forEach(row -> row.writeTo(g));
    }
    ByteArrayOutputStream fast = new ByteArrayOutputStream();
    CanonicalWriter writer = new CanonicalWriter(fast, bufferSize);
    for (ChatRowBuffer row : rows) {
      writer.write(row);
    }
    writer.flush();
    assertThat(fast.toString(StandardCharsets.UTF_8))
        .isEqualTo(jackson.toString(StandardCharsets.UTF_8));
    assertThat(fast.toByteArray()).isEqualTo(jackson.toByteArray());
  }

  @Test
  void writesEveryCharAsJacksonDoes() throws IOException {
    List<ChatRowBuffer> rows = new ArrayList<>();
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 0xFFFF; c++) {
      all.append(c);
      if (all.length() == 512) {
        rows.add(row(all.toString(), "a", rows.size() % 3 - 1));
        all.setLength(0);
      }
    }
    rows.add(
        row(all.toString(), "\uD83D\uDE00 \uD800 \uDC00x \uDBFF\uDFFF", ChatRowBuffer.NO_WEIGHT));
    assertSameAsJackson(rows, 1 << 18);
    assertSameAsJackson(rows, 1 << 12);
  }

  @Test
  void writesRandomRowsLargerAndSmallerThanItsBufferAsJacksonDoes() throws IOException {
    SplittableRandom random = new SplittableRandom(3);
    String[] pieces = {
      "a",
      "receipt ",
      "\"",
      "\\",
      "\n",
      "\t",
      "\u0001",
      "\u007f",
      "é",
      "€",
      "東京",
      "\uD83D\uDE00",
      "\uD800",
      "\uDC00",
      "/",
      "<"
    };
    List<ChatRowBuffer> rows = new ArrayList<>();
    for (int r = 0; r < 400; r++) {
      StringBuilder text = new StringBuilder();
      for (int n = random.nextInt(r % 10 == 0 ? 2000 : 50); n > 0; n--) {
        text.append(pieces[random.nextInt(r % 2 == 0 ? pieces.length - 3 : pieces.length)]);
      }
      rows.add(row(text.toString(), text.reverse().toString(), random.nextInt(3) - 1));
    }
    assertSameAsJackson(rows, 1 << 18);
    assertSameAsJackson(rows, 256);
  }

  /**
   * Rows parsed from lines: a JSON string of the line is rewritten (escapes written anew, the rest
   * copied), one that holds a surrogate is encoded from its text; either way the output is what
   * Jackson writes from the parsed text.
   */
  @Test
  void writesParsedRowsAsJacksonDoesWhetherRewrittenFromTheLineOrEncoded() throws IOException {
    SplittableRandom random = new SplittableRandom(11);
    String[] pieces = {
      "a",
      "receipt ",
      "\"",
      "\\",
      "\n",
      "\u0001",
      "\u007f",
      "/",
      "é",
      "€",
      "東京",
      "\uD83D\uDE00",
      "\uD800",
      "\uDC00"
    };
    ByteArrayOutputStream jackson = new ByteArrayOutputStream();
    ByteArrayOutputStream fast = new ByteArrayOutputStream();
    CanonicalWriter writer = new CanonicalWriter(fast, 512);
    int copied = 0;
    int encoded = 0;
    try (JsonGenerator g = JSON.createGenerator(jackson)) {
      for (int r = 0; r < 600; r++) {
        boolean escapeNonAscii = r % 3 == 1;
        String[] texts = new String[3];
        for (int t = 0; t < texts.length; t++) {
          StringBuilder text = new StringBuilder();
          for (int n = random.nextInt(r % 10 == 0 ? 400 : 12); n > 0; n--) {
            // A lone surrogate can only be written escaped.
            text.append(pieces[random.nextInt(escapeNonAscii ? pieces.length : pieces.length - 2)]);
          }
          texts[t] = text.toString();
        }
        String line =
            r % 3 == 2
                ? "{ \"id\": 7, \"messages\": [ {\"content\": "
                    + quote(texts[0], false)
                    + ", \"role\": \"system\"}, "
                    + "{\"content\": "
                    + quote(texts[1], false)
                    + ", \"role\": \"user\"}, {\"weight\": 1, \"content\": "
                    + quote(texts[2], false)
                    + ", \"role\": \"assistant\"} ] }"
                : "{\"messages\":[{\"role\":\"system\",\"content\":"
                    + quote(texts[0], escapeNonAscii)
                    + "},{\"role\":\"user\",\"content\":"
                    + quote(texts[1], escapeNonAscii)
                    + "},{\"role\":\"assistant\",\"content\":"
                    + quote(texts[2], escapeNonAscii)
                    + "}]}";
        byte[] bytes = ("line " + r + ": " + line).getBytes(StandardCharsets.UTF_8);
        int start = bytes.length - line.getBytes(StandardCharsets.UTF_8).length;
        ChatRowBuffer row = new ChatRowBuffer();
        assertThat(
                DatasetNormalizer.readRow(new ChatRows(), bytes, start, bytes.length - start, row))
            .as(line)
            .isNull();
        for (int i = 0; i < row.size(); i++) {
          assertThat(row.text(i)).isEqualTo(texts[i]);
          copied += row.jsonStart(i) >= 0 ? 1 : 0;
          encoded += row.jsonStart(i) < 0 ? 1 : 0;
        }
        row.writeTo(g);
        writer.write(row);
      }
    }
    writer.flush();
    assertThat(fast.toString(StandardCharsets.UTF_8))
        .isEqualTo(jackson.toString(StandardCharsets.UTF_8));
    assertThat(fast.toByteArray()).isEqualTo(jackson.toByteArray());
    assertThat(copied).isGreaterThan(200);
    assertThat(encoded).isGreaterThan(300);
  }

  /**
   * A JSON string literal: control characters escaped in lower-case hex, non-ASCII escaped when
   * asked.
   */
  private static String quote(String text, boolean escapeNonAscii) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || (escapeNonAscii && c > 0x7e)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
