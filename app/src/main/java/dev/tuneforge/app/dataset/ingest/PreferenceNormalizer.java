package dev.tuneforge.app.dataset.ingest;

import dev.tuneforge.app.dataset.DatasetFormat;
import dev.tuneforge.app.dataset.PreferenceReport;
import dev.tuneforge.app.dataset.QualityReport;
import dev.tuneforge.app.dataset.ValidationReport;
import dev.tuneforge.app.dataset.quality.QualityAnalyzer;
import dev.tuneforge.app.dataset.split.DatasetSplit;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Validates a preference upload row by row ({@link PreferenceRow}'s layouts, as JSONL or one JSON
 * array) and, in the same pass, writes each pair as canonical preference JSONL, {@code {"prompt":
 * [...], "chosen": [...], "rejected": [...]}}, the form the trainer reads. Problems name the line
 * (or the array's row) and the reason; one row is held at a time. The quality report covers the
 * prompts with their chosen answers; the {@link PreferenceReport} compares the answers.
 */
final class PreferenceNormalizer {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final boolean dropInvalid;
  private final boolean redact;
  private final DatasetSplit split;
  private final QualityAnalyzer quality;
  private final List<String> problems = new ArrayList<>();
  private int problemCount;
  private int dropped;
  private int rows;
  private int validationRows;
  private boolean jsonArray;
  private int identical;
  private int emptyChosen;
  private int emptyRejected;
  private long chosenChars;
  private long rejectedChars;
  private int chosenLonger;

  PreferenceNormalizer(boolean dropInvalid, boolean redact, DatasetSplit split) {
    this.dropInvalid = dropInvalid;
    this.redact = redact;
    this.split = split;
    this.quality = new QualityAnalyzer(redact, QualityReport.DEFAULT_MAX_TOKENS);
  }

  /** Whether the first row of a JSON file (JSONL or an array) is a preference pair. */
  static boolean isPreferenceFile(Path file) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        var p = JSON.createParser(in)) {
      var token = p.nextToken();
      if (token == tools.jackson.core.JsonToken.START_ARRAY) {
        token = p.nextToken();
      }
      if (token != tools.jackson.core.JsonToken.START_OBJECT) {
        return false;
      }
      List<String> keys = new ArrayList<>();
      while (p.nextToken() == tools.jackson.core.JsonToken.PROPERTY_NAME) {
        keys.add(p.currentName());
        p.nextToken();
        p.skipChildren();
      }
      return PreferenceRow.isPreference(keys);
    } catch (JacksonException e) {
      // Not JSON, or broken before its first row ends: the chat reader explains it.
      return false;
    }
  }

  ValidationReport normalize(
      Path file, @Nullable OutputStream train, @Nullable OutputStream validation)
      throws IOException {
    try (BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      switch (JsonDocument.sniff(in)) {
        case OBJECT -> fileProblem(JsonDocument.describeObject(in));
        case ARRAY -> {
          jsonArray = true;
          try {
            JsonDocument.readArray(
                in,
                DatasetNormalizer.MAX_LINE_BYTES,
                (bytes, length, number, tooLong) ->
                    row(
                        bytes,
                        0,
                        length,
                        "row " + number + " (index " + (number - 1) + ")",
                        number,
                        tooLong,
                        train,
                        validation));
          } catch (JsonDocument.Broken e) {
            fileProblem(e.getMessage());
          }
        }
        case LINES -> lines(in, train, validation);
      }
    }
    if (rows == 0 && problemCount == 0) {
      fileProblem("the file is empty: it has no preference pairs");
    }
    return new ValidationReport(
        DatasetFormat.PREFERENCE, rows, List.copyOf(problems), problemCount, dropped, jsonArray);
  }

  private void lines(
      InputStream in, @Nullable OutputStream train, @Nullable OutputStream validation)
      throws IOException {
    int number = 0;
    try (Utf8Lines lines = new Utf8Lines(in, DatasetNormalizer.MAX_LINE_BYTES)) {
      while (true) {
        try {
          if (!lines.next()) {
            return;
          }
        } catch (Utf8Lines.NotUtf8 e) {
          fileProblem("line " + (number + 1) + ": the file is not UTF-8 text");
          return;
        }
        number++;
        if (lines.tooLong() || !lines.isBlank()) {
          row(
              lines.bytes(),
              lines.start(),
              lines.length(),
              "line " + number,
              number,
              lines.tooLong(),
              train,
              validation);
        }
      }
    }
  }

  private void row(
      byte[] bytes,
      int start,
      int length,
      String where,
      int number,
      boolean tooLong,
      @Nullable OutputStream train,
      @Nullable OutputStream validation)
      throws IOException {
    PreferenceRow pair;
    boolean toValidation;
    try {
      if (tooLong) {
        throw new PreferenceRow.Malformed(
            "longer than " + (DatasetNormalizer.MAX_LINE_BYTES >> 20) + " MB");
      }
      JsonNode json;
      try {
        json = JSON.readTree(new String(bytes, start, length, StandardCharsets.UTF_8));
      } catch (JacksonException e) {
        throw new PreferenceRow.Malformed("not valid JSON (" + e.getOriginalMessage() + ")");
      }
      pair = PreferenceRow.read(json);
      String useless = pair.uselessBecause();
      if (useless != null) {
        countUseless(PreferenceRow.text(pair.chosen()), PreferenceRow.text(pair.rejected()));
        throw new PreferenceRow.Malformed(useless);
      }
      toValidation = side(json, number);
    } catch (PreferenceRow.Malformed e) {
      problemCount++;
      dropped += dropInvalid ? 1 : 0;
      quality.dropped(e.getMessage());
      if (problems.size() < DatasetNormalizer.MAX_LISTED_PROBLEMS) {
        problems.add(where + ": " + e.getMessage());
      }
      return;
    }
    rows++;
    validationRows += toValidation ? 1 : 0;
    MessageRow chosen = new MessageRow(pair.prompt(), pair.chosen());
    quality.accept(chosen, number);
    List<PreferenceRow.Message> rejected =
        redact
            ? pair.rejected().stream()
                .map(
                    m -> new PreferenceRow.Message(m.role(), QualityAnalyzer.redacted(m.content())))
                .toList()
            : pair.rejected();
    measure(PreferenceRow.text(pair.chosen()), PreferenceRow.text(rejected));
    OutputStream out = toValidation ? validation : train;
    if (out != null && (dropInvalid || problemCount == 0)) {
      ObjectNode canonical = JSON.createObjectNode();
      canonical.set("prompt", json(chosen.prompt()));
      canonical.set("chosen", json(chosen.answer()));
      canonical.set("rejected", json(rejected));
      out.write(JSON.writeValueAsBytes(canonical));
      out.write('\n');
    }
  }

  /** Whether the split sends this row to validation; a bad split field is the row's problem. */
  private boolean side(JsonNode json, int number) throws PreferenceRow.Malformed {
    return switch (split) {
      case DatasetSplit.Random random -> random.validation(number);
      case DatasetSplit.ByField byField -> {
        JsonNode value = json.path(byField.field());
        Boolean side = value.isString() ? DatasetSplit.side(value.asString()) : null;
        if (side == null) {
          throw new PreferenceRow.Malformed(
              "\""
                  + byField.field()
                  + "\" is "
                  + (value.isMissingNode() ? "missing" : value)
                  + "; expected train or validation");
        }
        yield side;
      }
      case DatasetSplit.None none -> false;
      case DatasetSplit.SeparateFile separate -> false;
    };
  }

  /** A pair refused as useless, for the report: which answer was empty, or that both agree. */
  private void countUseless(String chosen, String rejected) {
    emptyChosen += chosen.isBlank() ? 1 : 0;
    emptyRejected += rejected.isBlank() ? 1 : 0;
    identical += !chosen.isBlank() && chosen.strip().equals(rejected.strip()) ? 1 : 0;
  }

  private void measure(String chosen, String rejected) {
    chosenChars += chosen.length();
    rejectedChars += rejected.length();
    chosenLonger += chosen.length() > rejected.length() ? 1 : 0;
  }

  private static ArrayNode json(List<PreferenceRow.Message> messages) {
    ArrayNode array = JSON.createArrayNode();
    for (PreferenceRow.Message message : messages) {
      array.addObject().put("role", message.role()).put("content", message.content());
    }
    return array;
  }

  private void fileProblem(String problem) {
    problems.add(problem);
    problemCount++;
  }

  int validationRows() {
    return validationRows;
  }

  QualityReport quality() {
    return quality.report();
  }

  PreferenceReport preference() {
    return new PreferenceReport(
        rows,
        identical,
        emptyChosen,
        emptyRejected,
        rows == 0 ? 0 : (double) chosenChars / rows,
        rows == 0 ? 0 : (double) rejectedChars / rows,
        chosenLonger);
  }
}
