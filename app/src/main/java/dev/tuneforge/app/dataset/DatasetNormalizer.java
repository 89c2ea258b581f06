package dev.tuneforge.app.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Validates an upload line by line and, in the same pass, writes its valid rows as canonical
 * chat JSONL. Memory stays bounded whatever the file's size: one line (at most {@link
 * #MAX_LINE_BYTES}) and one conversation are held at a time.
 */
public final class DatasetNormalizer {
  public static final int MAX_LISTED_PROBLEMS = 200;
  public static final int MAX_LINE_BYTES = 16 << 20;
  private static final JsonMapper JSON =
      JsonMapper.builder(
              JsonFactory.builder()
                  .rootValueSeparator((String) null)
                  .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                  .build())
          .build();

  private final @Nullable DatasetFormat format;
  private final boolean dropInvalid;
  private final QualityAnalyzer quality;

  /**
   * @param format the upload's format, or null to detect it from the first non-blank line
   * @param dropInvalid leave invalid rows out (and list them) instead of rejecting the file
   */
  public DatasetNormalizer(@Nullable DatasetFormat format, boolean dropInvalid) {
    this(format, dropInvalid, false);
  }

  /**
   * @param redactPersonalData replace emails, phone numbers, card numbers and IBANs in the
   *     canonical rows with {@code [EMAIL]}, {@code [PHONE]}, {@code [CARD]}, {@code [IBAN]}
   */
  public DatasetNormalizer(@Nullable DatasetFormat format, boolean dropInvalid, boolean redactPersonalData) {
    this.format = format;
    this.dropInvalid = dropInvalid;
    this.quality = new QualityAnalyzer(redactPersonalData, QualityReport.DEFAULT_MAX_TOKENS);
  }

  /** The quality of the rows kept by the last {@link #normalize} (redacted ones as stored). */
  public QualityReport quality() {
    return quality.report();
  }

  /** Reads {@code input} to its end; writes valid rows to {@code canonical} when given. */
  public ValidationReport normalize(InputStream input, @Nullable OutputStream canonical) throws IOException {
    List<String> problems = new ArrayList<>();
    int problemCount = 0;
    int dropped = 0;
    int rows = 0;
    int lineNumber = 0;
    DatasetFormat used = format;
    RowReader reader = used == null ? null : RowReader.of(used);
    Conversation row = new Conversation();
    try (Utf8Lines lines = new Utf8Lines(input, MAX_LINE_BYTES);
        JsonGenerator out = canonical == null ? null : JSON.createGenerator(canonical)) {
      while (true) {
        try {
          if (!lines.next()) {
            break;
          }
        } catch (Utf8Lines.NotUtf8 e) {
          // An encoding error is the file's, not a row's: it is never dropped.
          problems.add("line " + (lineNumber + 1) + ": the file is not UTF-8 text");
          problemCount++;
          break;
        }
        lineNumber++;
        String problem;
        if (lines.tooLong()) {
          problem = "longer than " + (MAX_LINE_BYTES >> 20) + " MB";
        } else if (lines.isBlank()) {
          continue;
        } else {
          if (reader == null) {
            used = detect(lines.bytes(), lines.start(), lines.length());
            reader = RowReader.of(used);
          }
          problem = readRow(reader, lines.bytes(), lines.start(), lines.length(), row);
        }
        if (problem == null) {
          rows++;
          quality.accept(row, lineNumber);
          if (out != null && (dropInvalid || problemCount == 0)) {
            row.writeTo(out);
          }
        } else {
          problemCount++;
          dropped += dropInvalid ? 1 : 0;
          quality.dropped(problem);
          if (problems.size() < MAX_LISTED_PROBLEMS) {
            problems.add("line " + lineNumber + ": " + problem);
          }
        }
      }
      if (out != null) {
        out.flush();
      }
    }
    if (rows == 0 && problemCount == 0) {
      problems.add("the file is empty: it has no conversations");
      problemCount = 1;
    }
    return new ValidationReport(
        used == null ? DatasetFormat.CHAT : used, rows, List.copyOf(problems), problemCount, dropped);
  }

  private static @Nullable String readRow(RowReader reader, byte[] bytes, int start, int length, Conversation row) {
    try (JsonParser p = JSON.createParser(bytes, start, length)) {
      String problem = reader.read(p, row);
      if (p.nextToken() != null) {
        return syntaxProblem(bytes, start, length, "trailing content after the row");
      }
      return problem;
    } catch (JacksonException e) {
      return syntaxProblem(bytes, start, length, e.getOriginalMessage());
    }
  }

  /** Worded as the tree parser words it, so a line's message does not depend on how it was read. */
  private static String syntaxProblem(byte[] bytes, int start, int length, String fallback) {
    try {
      JSON.readTree(new String(bytes, start, length, StandardCharsets.UTF_8));
      return "not valid JSON (" + fallback + ")";
    } catch (JacksonException e) {
      return "not valid JSON (" + e.getOriginalMessage() + ")";
    }
  }

  static DatasetFormat detect(byte[] bytes, int start, int length) {
    List<String> keys = new ArrayList<>();
    try (JsonParser p = JSON.createParser(bytes, start, length)) {
      if (p.nextToken() == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
          keys.add(p.currentName());
          p.nextToken();
          p.skipChildren();
        }
      }
    } catch (JacksonException e) {
      // The keys read before the error still tell the format; the row's own check reports it.
    }
    return DatasetFormat.fromTopLevelKeys(keys);
  }
}
