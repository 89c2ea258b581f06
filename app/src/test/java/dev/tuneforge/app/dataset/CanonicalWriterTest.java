package dev.tuneforge.app.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
  private static final JsonMapper JSON = JsonMapper.builder(
      JsonFactory.builder().rootValueSeparator((String) null).disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build())
      .build();

  private static Conversation row(String user, String assistant, int weight) {
    Conversation row = new Conversation();
    row.add(Conversation.SYSTEM, row.copyText("Extract the fields."));
    row.add(Conversation.USER, row.copyText(user));
    row.add(Conversation.ASSISTANT, null, row.copyText(assistant), weight, null);
    return row;
  }

  private static void assertSameAsJackson(List<Conversation> rows, int bufferSize) throws IOException {
    ByteArrayOutputStream jackson = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(jackson)) {
      rows.forEach(row -> row.writeTo(g));
    }
    ByteArrayOutputStream fast = new ByteArrayOutputStream();
    CanonicalWriter writer = new CanonicalWriter(fast, bufferSize);
    for (Conversation row : rows) {
      writer.write(row);
    }
    writer.flush();
    assertThat(fast.toString(java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(jackson.toString(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(fast.toByteArray()).isEqualTo(jackson.toByteArray());
  }

  @Test
  void writesEveryCharAsJacksonDoes() throws IOException {
    List<Conversation> rows = new ArrayList<>();
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 0xFFFF; c++) {
      all.append(c);
      if (all.length() == 512) {
        rows.add(row(all.toString(), "a", rows.size() % 3 - 1));
        all.setLength(0);
      }
    }
    rows.add(row(all.toString(), "\uD83D\uDE00 \uD800 \uDC00x \uDBFF\uDFFF", Conversation.NO_WEIGHT));
    assertSameAsJackson(rows, 1 << 18);
    assertSameAsJackson(rows, 1 << 12);
  }

  @Test
  void writesRandomRowsLargerAndSmallerThanItsBufferAsJacksonDoes() throws IOException {
    SplittableRandom random = new SplittableRandom(3);
    String[] pieces = {"a", "receipt ", "\"", "\\", "\n", "\t", "\u0001", "\u007f", "é", "€", "東京", "\uD83D\uDE00",
        "\uD800", "\uDC00", "/", "<"};
    List<Conversation> rows = new ArrayList<>();
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
}
