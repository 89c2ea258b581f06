package dev.tuneforge.app.dataset.ingest;

import dev.hardwood.InputFile;
import dev.hardwood.reader.ParquetFileReader;
import dev.hardwood.reader.RowReader;
import dev.hardwood.row.PqList;
import dev.hardwood.row.PqMap;
import dev.hardwood.row.PqStruct;
import dev.hardwood.schema.SchemaNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;

/**
 * The rows of a Parquet file, read one at a time by Hardwood, each as a line of compact JSON
 * (nested lists and structs as arrays and objects, so a {@code messages} column of role/content
 * structs reads as chat) or as the text of its top-level columns (for a column mapping, as CSV
 * cells are). Hardwood decodes row group after row group in batches of rows (sized by its count of
 * rows, not bytes, and a few in flight), so memory follows the batch, never the whole file.
 */
final class ParquetRows implements AutoCloseable {
  /** The file cannot be read as Parquet: the file's problem, not a row's. */
  static final class Broken extends Exception {
    Broken(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final ParquetFileReader file;
  private final RowReader rows;
  private final List<String> columns;
  private int number;

  private ParquetRows(ParquetFileReader file) {
    this.file = file;
    this.rows = file.rowReader();
    this.columns = columns(file);
  }

  static ParquetRows open(Path path) throws Broken {
    ParquetFileReader file;
    try {
      file = ParquetFileReader.open(InputFile.of(path));
    } catch (IOException | RuntimeException e) {
      throw new Broken(
          "the file is not a Parquet file that can be read (" + e.getMessage() + ")", e);
    }
    try {
      return new ParquetRows(file);
    } catch (RuntimeException e) {
      close(file);
      throw new Broken("the Parquet file's schema cannot be read (" + e.getMessage() + ")", e);
    }
  }

  /** The names of a Parquet file's top-level columns, for choosing a mapping. */
  static List<String> columns(Path path) throws Broken {
    try (ParquetRows rows = open(path)) {
      return rows.columns();
    }
  }

  private static List<String> columns(ParquetFileReader file) {
    List<String> names = new ArrayList<>();
    for (SchemaNode node : file.getFileSchema().getRootNode().children()) {
      names.add(node.name());
    }
    return List.copyOf(names);
  }

  List<String> columns() {
    return columns;
  }

  /** Moves to the next row; false at the end. */
  boolean next() throws Broken {
    try {
      if (!rows.hasNext()) {
        return false;
      }
      rows.next();
    } catch (RuntimeException e) {
      throw new Broken(
          "row "
              + (number + 1)
              + " (index "
              + number
              + "): the Parquet file cannot be read on ("
              + e.getMessage()
              + ")",
          e);
    }
    number++;
    return true;
  }

  /** The current row's place in the file, counted from 1. */
  int number() {
    return number;
  }

  /** Writes the current row as one JSON object, its null columns left out. */
  void writeJson(JsonGenerator out) {
    out.writeStartObject();
    for (int i = 0; i < columns.size(); i++) {
      Object value = rows.getValue(i);
      if (value != null) {
        out.writeName(columns.get(i));
        write(out, value);
      }
    }
    out.writeEndObject();
    out.flush();
  }

  /**
   * The current row's top-level columns as text: strings as they are, others as JSON, null empty.
   */
  List<String> texts() {
    List<String> texts = new ArrayList<>(columns.size());
    for (int i = 0; i < columns.size(); i++) {
      Object value = rows.getValue(i);
      texts.add(value == null ? "" : text(value));
    }
    return texts;
  }

  private static String text(Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    if (value instanceof PqStruct || value instanceof PqList || value instanceof PqMap) {
      RowBytes bytes = new RowBytes(Integer.MAX_VALUE);
      try (JsonGenerator out = JsonDocument.generator(bytes)) {
        write(out, value);
      }
      return new String(bytes.bytes(), 0, bytes.length(), StandardCharsets.UTF_8);
    }
    return value.toString();
  }

  private static void write(JsonGenerator out, Object value) {
    switch (value) {
      case String s -> out.writeString(s);
      case Boolean b -> out.writeBoolean(b);
      case Integer n -> out.writeNumber(n);
      case Long n -> out.writeNumber(n);
      case Float n -> out.writeNumber(n);
      case Double n -> out.writeNumber(n);
      case BigDecimal n -> out.writeNumber(n);
      case byte[] bytes -> out.writeString(new String(bytes, StandardCharsets.UTF_8));
      case PqStruct struct -> {
        out.writeStartObject();
        for (int i = 0; i < struct.getFieldCount(); i++) {
          Object field = struct.getValue(i);
          if (field != null) {
            out.writeName(struct.getFieldName(i));
            write(out, field);
          }
        }
        out.writeEndObject();
      }
      case PqList list -> {
        out.writeStartArray();
        for (Object item : list.values()) {
          writeOrNull(out, item);
        }
        out.writeEndArray();
      }
      case PqMap map -> {
        out.writeStartObject();
        for (PqMap.Entry entry : map.getEntries()) {
          out.writeName(String.valueOf(entry.getKey()));
          writeOrNull(out, entry.getValue());
        }
        out.writeEndObject();
      }
      default -> out.writeString(value.toString());
    }
  }

  private static void writeOrNull(JsonGenerator out, @Nullable Object value) {
    if (value == null) {
      out.writeNull();
    } else {
      write(out, value);
    }
  }

  @Override
  public void close() {
    try {
      rows.close();
    } finally {
      close(file);
    }
  }

  private static void close(ParquetFileReader file) {
    try {
      file.close();
    } catch (IOException e) {
      // Nothing was written; the file is read-only here.
    }
  }
}
