package dev.tuneforge.app.upload;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A generated corpus of hostile and odd upload files: truncated UTF-8, enormous lines, deep JSON
 * nesting, wrong types, byte-order marks, CRLF line ends, empty files, zip bombs and lying
 * safetensors headers. Each entry says what a well-behaved platform does with it.
 */
final class UploadCorpus {
  /** What the platform must do with a file: keep it whole, or refuse it naming the line. */
  enum Outcome {
    STORED,
    REFUSED_AT_LINE,
    REFUSED
  }

  /** One dataset file: its name, bytes, the expected outcome and, if refused, the line named. */
  record DatasetFile(String name, byte[] bytes, Outcome outcome, int line) {
    @Override
    public String toString() {
      return name + " (" + bytes.length + " bytes)";
    }
  }

  static final String ROW =
      "{\"messages\":[{\"role\":\"user\",\"content\":\"Total of: 3.50 CASH\"},"
          + "{\"role\":\"assistant\",\"content\":\"{\\\"total\\\":\\\"3.50\\\"}\"}]}";

  private UploadCorpus() {}

  static Map<String, DatasetFile> datasets() {
    Map<String, DatasetFile> corpus = new LinkedHashMap<>();
    add(corpus, "plain.jsonl", utf8(ROW + "\n" + ROW + "\n"), Outcome.STORED, 0);
    add(corpus, "crlf.jsonl", utf8(ROW + "\r\n" + ROW + "\r\n"), Outcome.STORED, 0);
    add(corpus, "bom.jsonl", concat(bom(), utf8(ROW + "\n" + ROW + "\n")), Outcome.STORED, 0);
    add(corpus, "empty.jsonl", new byte[0], Outcome.REFUSED, 0);
    add(corpus, "blank-lines-only.jsonl", utf8("\n\r\n  \n"), Outcome.REFUSED, 0);
    byte[] cut = utf8(ROW.replace("3.50 CASH", "3.50 €"));
    int euro = indexOf(cut, (byte) 0xE2);
    add(
        corpus,
        "truncated-utf8.jsonl",
        concat(utf8(ROW + "\n"), Arrays.copyOf(cut, euro + 2)),
        Outcome.REFUSED_AT_LINE,
        2);
    add(
        corpus,
        "invalid-utf8-in-the-middle.jsonl",
        concat(utf8(ROW + "\n"), Arrays.copyOf(cut, euro + 1), utf8(" CASH\"}]}\n")),
        Outcome.REFUSED_AT_LINE,
        2);
    add(
        corpus,
        "enormous-line.jsonl",
        utf8(ROW + "\n{\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(12_000_000)),
        Outcome.REFUSED_AT_LINE,
        2);
    add(
        corpus,
        "deep-nesting.jsonl",
        utf8(ROW + "\n" + "[".repeat(200_000) + "]".repeat(200_000) + "\n"),
        Outcome.REFUSED_AT_LINE,
        2);
    add(
        corpus,
        "deep-nesting-in-content.jsonl",
        utf8(
            "{\"messages\":[{\"role\":\"user\",\"content\":"
                + "{\"a\":".repeat(50_000)
                + "1"
                + "}".repeat(50_000)
                + "}]}\n"),
        Outcome.REFUSED_AT_LINE,
        1);
    add(
        corpus,
        "messages-a-string.jsonl",
        utf8("{\"messages\":\"hi\"}\n"),
        Outcome.REFUSED_AT_LINE,
        1);
    add(
        corpus,
        "role-a-number.jsonl",
        utf8(ROW + "\n{\"messages\":[{\"role\":7,\"content\":{}}]}\n"),
        Outcome.REFUSED_AT_LINE,
        2);
    add(corpus, "an-array.jsonl", utf8(ROW + "\n[1,2,3]\n"), Outcome.REFUSED_AT_LINE, 2);
    add(corpus, "null.jsonl", utf8("null\n" + ROW + "\n"), Outcome.REFUSED_AT_LINE, 1);
    add(
        corpus,
        "huge-number.jsonl",
        utf8(
            ROW
                + "\n{\"messages\":[{\"role\":\"user\",\"content\":\"a\",\"weight\":1e99999999},"
                + "{\"role\":\"assistant\",\"content\":\"b\",\"weight\":"
                + "9".repeat(100_000)
                + "}]}\n"),
        Outcome.REFUSED_AT_LINE,
        2);
    add(
        corpus,
        "nul-bytes.jsonl",
        concat(utf8(ROW + "\n"), new byte[4096]),
        Outcome.REFUSED_AT_LINE,
        2);
    add(corpus, "zip-bomb.jsonl", zipBomb(), Outcome.REFUSED_AT_LINE, 1);
    add(corpus, "zip-bomb.csv", zipBomb(), Outcome.REFUSED, 0);
    add(corpus, "not-parquet.parquet", zipBomb(), Outcome.REFUSED, 0);
    return corpus;
  }

  /** A zip of one entry of 200 MiB of zeros: about 200 KB on disk. */
  static byte[] zipBomb() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("model.safetensors"));
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 200; i++) {
        zip.write(zeros);
      }
      zip.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** A safetensors file whose 8-byte header length claims {@code headerLength} bytes. */
  static byte[] safetensors(long headerLength, String header) {
    byte[] json = utf8(header);
    ByteBuffer buffer = ByteBuffer.allocate(8 + json.length).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putLong(headerLength).put(json);
    return buffer.array();
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] bom() {
    return new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] bytes, byte wanted) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    throw new IllegalArgumentException("not found");
  }

  private static void add(
      Map<String, DatasetFile> corpus, String name, byte[] bytes, Outcome outcome, int line) {
    corpus.put(name, new DatasetFile(name, bytes, outcome, line));
  }
}
