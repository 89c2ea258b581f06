package dev.tuneforge.app.dataset.ingest;

import dev.tuneforge.app.dataset.CsvMapping;
import dev.tuneforge.app.dataset.DatasetFormat;
import dev.tuneforge.app.dataset.DatasetInfo;
import dev.tuneforge.app.dataset.DatasetRejected;
import dev.tuneforge.app.dataset.QualityReport;
import dev.tuneforge.app.dataset.ValidationReport;
import dev.tuneforge.app.dataset.quality.QualityAnalyzer;
import dev.tuneforge.app.dataset.split.DatasetSplit;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Validates an upload row by row and, in the same pass, writes its valid rows as canonical chat
 * JSONL. Rows come as lines (JSONL), as the elements of one JSON array, as CSV records or as the
 * rows of a Parquet file. Memory stays bounded whatever the file's size: one row (at most {@link
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
  private final @Nullable CsvMapping csv;
  private final DatasetSplit split;
  private final List<String> problems = new ArrayList<>();
  private int problemCount;
  private int dropped;
  private int rows;
  private int validationRows;
  private @Nullable Set<Long> seenRows;
  private int duplicatesRemoved;
  private @Nullable DatasetInfo datasetInfo;
  private @Nullable DatasetFormat jsonFormat;
  private @Nullable RowReader jsonReader;
  private final ChatRowBuffer row = new ChatRowBuffer();

  /** Whether problems name rows of an array or a Parquet file ("row 3 (index 2)") not lines. */
  private boolean numberedRows;

  private boolean jsonArray;

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
  public DatasetNormalizer(
      @Nullable DatasetFormat format, boolean dropInvalid, boolean redactPersonalData) {
    this(format, dropInvalid, redactPersonalData, null, DatasetSplit.none());
  }

  /**
   * @param csv for {@link DatasetFormat#CSV}, the columns to use (null: guess them from the header)
   * @param split how rows are divided between the training and the validation output; a {@link
   *     DatasetSplit.SeparateFile} is read by a normaliser of its own, so here it means none
   */
  public DatasetNormalizer(
      @Nullable DatasetFormat format,
      boolean dropInvalid,
      boolean redactPersonalData,
      @Nullable CsvMapping csv,
      DatasetSplit split) {
    this.format = format;
    this.dropInvalid = dropInvalid;
    this.quality = new QualityAnalyzer(redactPersonalData, QualityReport.DEFAULT_MAX_TOKENS);
    this.csv = csv;
    this.split = split;
  }

  /** The quality of the rows kept by the last {@link #normalize} (redacted ones as stored). */
  public QualityReport quality() {
    return quality.report();
  }

  /**
   * Leaves out rows whose roles and texts equal a row already in {@code seen} (which this adds to):
   * share one set between two normalisers to keep validation rows that repeat a training row out.
   */
  DatasetNormalizer removeDuplicates(Set<Long> seen) {
    this.seenRows = seen;
    return this;
  }

  /**
   * Reads JSON rows by the keys that {@code info} (an entry of LLaMA-Factory's {@code
   * dataset_info.json}) names, whatever the chosen format; null: each layout by its own keys.
   */
  public DatasetNormalizer mappedBy(@Nullable DatasetInfo info) {
    this.datasetInfo = info;
    return this;
  }

  /** How many rows the last {@link #normalize} left out as duplicates. */
  int duplicatesRemoved() {
    return duplicatesRemoved;
  }

  /** How many of the kept rows went to the validation output. */
  public int validationRows() {
    return validationRows;
  }

  /** Reads {@code input} to its end; writes valid rows to {@code canonical} when given. */
  public ValidationReport normalize(InputStream input, @Nullable OutputStream canonical)
      throws IOException {
    return normalize(input, canonical, null);
  }

  /**
   * Reads {@code input} to its end, once; writes each valid row to {@code train} or {@code
   * validation} as the split says (rows for an absent output are counted, not written).
   */
  public ValidationReport normalize(
      InputStream input, @Nullable OutputStream train, @Nullable OutputStream validation)
      throws IOException {
    return normalize(
        (trainOut, validationOut) ->
            format == DatasetFormat.CSV
                ? readCsv(input, trainOut, validationOut)
                : readJson(input, trainOut, validationOut),
        train,
        validation);
  }

  /** Like {@link #normalize(InputStream, OutputStream, OutputStream)}, for a file on disk. */
  public ValidationReport normalize(
      Path file, @Nullable OutputStream train, @Nullable OutputStream validation)
      throws IOException {
    if (format == DatasetFormat.PARQUET) {
      return normalize(
          (trainOut, validationOut) -> readParquet(file, trainOut, validationOut),
          train,
          validation);
    }
    try (InputStream in = Files.newInputStream(file)) {
      return normalize(in, train, validation);
    }
  }

  /** Reads the rows of one kind of file into the two outputs; the format it read them as. */
  private interface Reading {
    DatasetFormat read(@Nullable CanonicalWriter train, @Nullable CanonicalWriter validation)
        throws IOException;
  }

  private ValidationReport normalize(
      Reading reading, @Nullable OutputStream train, @Nullable OutputStream validation)
      throws IOException {
    problems.clear();
    problemCount = 0;
    dropped = 0;
    rows = 0;
    validationRows = 0;
    duplicatesRemoved = 0;
    jsonFormat = format;
    jsonReader = null;
    numberedRows = false;
    jsonArray = false;
    CanonicalWriter trainOut = train == null ? null : new CanonicalWriter(train);
    CanonicalWriter validationOut = validation == null ? null : new CanonicalWriter(validation);
    DatasetFormat used = reading.read(trainOut, validationOut);
    if (trainOut != null) {
      trainOut.flush();
    }
    if (validationOut != null) {
      validationOut.flush();
    }
    if (rows == 0 && problemCount == 0) {
      problems.add("the file is empty: it has no conversations");
      problemCount = 1;
    }
    return new ValidationReport(
        used, rows, List.copyOf(problems), problemCount, dropped, jsonArray);
  }

  /** JSONL, or one JSON array of rows, as the file's first character says. */
  private DatasetFormat readJson(
      InputStream input, @Nullable CanonicalWriter train, @Nullable CanonicalWriter validation)
      throws IOException {
    BufferedInputStream in = new BufferedInputStream(input, 1 << 16);
    switch (JsonDocument.sniff(in)) {
      case OBJECT -> fileProblem(JsonDocument.describeObject(in));
      case ARRAY -> {
        jsonArray = true;
        numberedRows = true;
        try {
          JsonDocument.readArray(
              in,
              MAX_LINE_BYTES,
              (bytes, length, number, tooLong) ->
                  jsonRow(bytes, 0, length, number, tooLong, train, validation));
        } catch (JsonDocument.Broken e) {
          fileProblem(e.getMessage());
        }
      }
      case LINES -> readJsonl(in, train, validation);
    }
    return jsonFormat == null ? DatasetFormat.CHAT : jsonFormat;
  }

  private void readJsonl(
      InputStream input, @Nullable CanonicalWriter train, @Nullable CanonicalWriter validation)
      throws IOException {
    int lineNumber = 0;
    try (Utf8Lines lines = new Utf8Lines(input, MAX_LINE_BYTES)) {
      while (true) {
        try {
          if (!lines.next()) {
            break;
          }
        } catch (Utf8Lines.NotUtf8 e) {
          fileProblem("line " + (lineNumber + 1) + ": the file is not UTF-8 text");
          break;
        }
        lineNumber++;
        if (lines.tooLong() || !lines.isBlank()) {
          jsonRow(
              lines.bytes(),
              lines.start(),
              lines.length(),
              lineNumber,
              lines.tooLong(),
              train,
              validation);
        }
      }
    }
  }

  /**
   * Reads one row of JSON (a line, or an array's element written as one line), which is well-formed
   * UTF-8; the first row also tells the layout when none was chosen.
   */
  private void jsonRow(
      byte[] bytes,
      int start,
      int length,
      int number,
      boolean tooLong,
      @Nullable CanonicalWriter train,
      @Nullable CanonicalWriter validation)
      throws IOException {
    String splitField = split instanceof DatasetSplit.ByField f ? f.field() : null;
    String problem;
    String side = null;
    if (tooLong) {
      problem = "longer than " + (MAX_LINE_BYTES >> 20) + " MB";
    } else {
      if (jsonReader == null) {
        if (datasetInfo != null) {
          jsonFormat = datasetInfo.shareGpt() ? DatasetFormat.SHAREGPT : DatasetFormat.ALPACA;
          jsonReader = RowReader.of(datasetInfo);
        } else {
          jsonFormat = jsonFormat == null ? detect(bytes, start, length) : jsonFormat;
          jsonReader = RowReader.of(jsonFormat);
        }
      }
      problem = readRow(jsonReader, bytes, start, length, row);
      if (problem == null && splitField != null) {
        side = topLevelText(bytes, start, length, splitField);
        problem =
            side == null ? "missing the \"" + splitField + "\" field (train or validation)" : null;
      }
    }
    keep(problem, row, number, side, "\"" + splitField + "\" is", train, validation);
  }

  /**
   * A Parquet file: as JSON rows when its columns are those of a layout ({@code messages}, {@code
   * conversations}, …) or a dataset_info.json maps them, else by a column mapping as for CSV.
   */
  private DatasetFormat readParquet(
      Path file, @Nullable CanonicalWriter train, @Nullable CanonicalWriter validation)
      throws IOException {
    numberedRows = true;
    String splitColumn = split instanceof DatasetSplit.ByField f ? f.field() : null;
    try (ParquetRows parquet = ParquetRows.open(file)) {
      if (csv == null && (datasetInfo != null || isRowLayout(parquet.columns()))) {
        jsonFormat = null;
        RowBytes out = new RowBytes(Integer.MAX_VALUE);
        try (JsonGenerator json = JsonDocument.generator(out)) {
          while (parquet.next()) {
            out.reset();
            parquet.writeJson(json);
            boolean tooLong = out.length() > MAX_LINE_BYTES;
            jsonRow(out.bytes(), 0, out.length(), parquet.number(), tooLong, train, validation);
          }
        }
        return DatasetFormat.PARQUET;
      }
      CsvRows mapped = mapping(parquet.columns(), splitColumn);
      while (mapped != null && parquet.next()) {
        mappedRow(mapped, parquet.texts(), parquet.number(), null, splitColumn, train, validation);
      }
    } catch (ParquetRows.Broken e) {
      fileProblem(e.getMessage());
    }
    return DatasetFormat.PARQUET;
  }

  private DatasetFormat readCsv(
      InputStream input, @Nullable CanonicalWriter train, @Nullable CanonicalWriter validation)
      throws IOException {
    String splitColumn = split instanceof DatasetSplit.ByField f ? f.field() : null;
    try (CsvReader records = new CsvReader(input, MAX_LINE_BYTES)) {
      if (!records.next()) {
        fileProblem("the file is empty: it has no header");
        return DatasetFormat.CSV;
      }
      if (records.problem() != null) {
        fileProblem("line 1 (the header): " + records.problem());
        return DatasetFormat.CSV;
      }
      CsvRows mapped = mapping(records.fields(), splitColumn);
      while (mapped != null && records.next()) {
        if (!records.isBlank()) {
          mappedRow(
              mapped,
              records.fields(),
              records.line(),
              records.problem(),
              splitColumn,
              train,
              validation);
        }
      }
    } catch (CsvReader.Broken e) {
      fileProblem(e.getMessage());
    }
    return DatasetFormat.CSV;
  }

  /** The mapping of a header's columns to turns; null (a problem of the file) when it fits not. */
  private @Nullable CsvRows mapping(List<String> header, @Nullable String splitColumn) {
    try {
      return new CsvRows(header, csv, splitColumn);
    } catch (CsvRows.Unmapped e) {
      fileProblem(e.getMessage());
      return null;
    }
  }

  /**
   * One CSV record or Parquet row read by the column mapping; {@code problem}: the record's own.
   */
  private void mappedRow(
      CsvRows mapped,
      List<String> fields,
      int number,
      @Nullable String problem,
      @Nullable String splitColumn,
      @Nullable CanonicalWriter train,
      @Nullable CanonicalWriter validation)
      throws IOException {
    if (problem == null) {
      problem = mapped.read(fields, row);
    }
    String side = problem == null ? mapped.split(fields) : null;
    keep(problem, row, number, side, "the \"" + splitColumn + "\" cell is", train, validation);
  }

  /** The top-level columns of a Parquet file, for choosing which are which turn. */
  public static List<String> parquetColumns(Path file) {
    try {
      return ParquetRows.columns(file);
    } catch (ParquetRows.Broken e) {
      throw DatasetRejected.because(e.getMessage());
    }
  }

  /** Whether a Parquet file's columns are those of a JSON layout, read without a mapping. */
  public static boolean parquetHasRowLayout(Path file) {
    return isRowLayout(parquetColumns(file));
  }

  /** The header of a CSV file, for choosing its columns; refused when it has none. */
  public static List<String> csvHeader(Path file) {
    try (CsvReader csv = new CsvReader(Files.newInputStream(file), MAX_LINE_BYTES)) {
      if (!csv.next() || csv.isBlank()) {
        throw DatasetRejected.because("The CSV file has no header line");
      }
      if (csv.problem() != null) {
        throw DatasetRejected.because("line 1 (the header): " + csv.problem());
      }
      return csv.fields().stream().map(String::strip).toList();
    } catch (CsvReader.Broken e) {
      throw DatasetRejected.because(e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Counts and writes a row that has no problem, to the side the split gives it; lists it
   * otherwise.
   */
  private void keep(
      @Nullable String problem,
      ChatRowBuffer row,
      int line,
      @Nullable String side,
      String sideName,
      @Nullable CanonicalWriter train,
      @Nullable CanonicalWriter validation)
      throws IOException {
    boolean toValidation = false;
    if (problem == null && split instanceof DatasetSplit.ByField && side != null) {
      Boolean value = DatasetSplit.side(side);
      if (value == null) {
        problem =
            sideName
                + (side.isBlank() ? " empty" : " \"" + side + "\"")
                + "; expected train or validation";
      } else {
        toValidation = value;
      }
    } else if (problem == null && split instanceof DatasetSplit.Random random) {
      toValidation = random.validation(line);
    }
    if (problem != null) {
      problemCount++;
      dropped += dropInvalid ? 1 : 0;
      quality.dropped(problem);
      if (problems.size() < MAX_LISTED_PROBLEMS) {
        problems.add(where(line) + ": " + problem);
      }
      return;
    }
    if (seenRows != null && !seenRows.add(row.fingerprint())) {
      duplicatesRemoved++;
      return;
    }
    rows++;
    validationRows += toValidation ? 1 : 0;
    quality.accept(row, line);
    CanonicalWriter out = toValidation ? validation : train;
    if (out != null && (dropInvalid || problemCount == 0)) {
      out.write(row);
    }
  }

  /** How a problem names its row: the line, or a row's place in an array or a Parquet file. */
  private String where(int number) {
    return numberedRows ? "row " + number + " (index " + (number - 1) + ")" : "line " + number;
  }

  /** A problem of the file itself, which is never dropped: the upload is refused. */
  private void fileProblem(String problem) {
    problems.add(problem);
    problemCount++;
  }

  /** The string value of the row's top-level {@code field}; null when absent or not a string. */
  static @Nullable String topLevelText(byte[] bytes, int start, int length, String field) {
    try (JsonParser p = JSON.createParser(bytes, start, length)) {
      if (p.nextToken() == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
          String name = p.currentName();
          JsonToken value = p.nextToken();
          if (name.equals(field) && value == JsonToken.VALUE_STRING) {
            return p.getString();
          }
          p.skipChildren();
        }
      }
    } catch (JacksonException e) {
      // The row was read without error before this is asked; nothing to add.
    }
    return null;
  }

  /**
   * Reads one line, which {@link Utf8Lines} checked as UTF-8, into {@code row}; its first problem
   * or null.
   */
  static @Nullable String readRow(
      RowReader reader, byte[] bytes, int start, int length, ChatRowBuffer row) {
    row.readFrom(bytes, start);
    if (reader instanceof ChatRows && FastChatRows.read(bytes, start, start + length, row)) {
      return null;
    }
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
    return fromTopLevelKeys(keys);
  }

  /** Whether these top-level keys are those of a JSON row layout (chat, ShareGPT, …). */
  static boolean isRowLayout(Collection<String> keys) {
    return keys.contains("messages")
        || keys.contains("conversations")
        || keys.contains("instruction") && keys.contains("output")
        || keys.contains("prompt") && keys.contains("completion");
  }

  /**
   * The format whose keys the first row has. A row that names none of them, or is not JSON at all,
   * counts as chat, so its problems are explained in the terms of the default format.
   */
  private static DatasetFormat fromTopLevelKeys(Collection<String> keys) {
    if (keys.contains("messages")) {
      return DatasetFormat.CHAT;
    }
    if (keys.contains("conversations")) {
      return DatasetFormat.SHAREGPT;
    }
    if (keys.contains("instruction") || keys.contains("output")) {
      return DatasetFormat.ALPACA;
    }
    if (keys.contains("prompt") || keys.contains("completion")) {
      return DatasetFormat.PROMPT_COMPLETION;
    }
    return DatasetFormat.CHAT;
  }
}
