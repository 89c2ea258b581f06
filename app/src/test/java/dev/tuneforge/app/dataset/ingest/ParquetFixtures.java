package dev.tuneforge.app.dataset.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.xerial.snappy.Snappy;

/**
 * Parquet files written by parquet-java, the format's reference writer, Snappy-compressed as
 * Hugging Face datasets are, with small row groups (16 KB unless told) so that a few thousand rows
 * span several.
 */
public final class ParquetFixtures {
  /** A Hugging Face chat dataset: a list of role/content structs, an id and a nested struct. */
  public static final MessageType CHAT =
      MessageTypeParser.parseMessageType(
          """
          message chat {
            required int64 id;
            optional group source { optional binary file (STRING); optional int32 page; }
            optional group messages (LIST) {
              repeated group list {
                optional group element {
                  optional binary role (STRING);
                  optional binary content (STRING);
                }
              }
            }
          }""");

  /** Plain text columns, as a table exported from a spreadsheet or a database. */
  public static final MessageType COLUMNS =
      MessageTypeParser.parseMessageType(
          """
          message qa {
            optional binary question (STRING);
            optional binary answer (STRING);
            optional binary split (STRING);
            optional int32 score;
          }""");

  private ParquetFixtures() {}

  /** Writes {@code rows} rows, each filled in by {@code row} from its index. */
  public static Path write(
      Path file, MessageType schema, int rows, BiConsumer<Integer, Group> row) {
    return write(file, schema, rows, 16 * 1024, row);
  }

  /**
   * Like {@link #write(Path, MessageType, int, BiConsumer)}, in row groups of about so many bytes.
   */
  public static Path write(
      Path file, MessageType schema, int rows, int rowGroupBytes, BiConsumer<Integer, Group> row) {
    try {
      Files.deleteIfExists(file);
      SimpleGroupFactory groups = new SimpleGroupFactory(schema);
      try (ParquetWriter<Group> out =
          ExampleParquetWriter.builder(new LocalOutputFile(file))
              .withConf(new PlainParquetConfiguration())
              .withType(schema)
              .withCompressionCodec(CompressionCodecName.SNAPPY)
              .withCodecFactory(new SnappyOnly())
              .withRowGroupSize((long) rowGroupBytes)
              .withPageRowCountLimit(20)
              .build()) {
        for (int i = 0; i < rows; i++) {
          Group group = groups.newGroup();
          row.accept(i, group);
          out.write(group);
        }
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Adds one message struct to a row's {@code messages} list. */
  public static void message(Group row, String role, String content) {
    Group messages =
        row.getFieldRepetitionCount("messages") == 0
            ? row.addGroup("messages")
            : row.getGroup("messages", 0);
    messages.addGroup("list").addGroup("element").append("role", role).append("content", content);
  }

  /** A chat file: a system prompt, a question and its answer per row. */
  public static Path chat(Path file, int rows) {
    return write(
        file,
        CHAT,
        rows,
        (i, row) -> {
          row.append("id", (long) i);
          row.addGroup("source").append("file", "receipt-" + i + ".txt").append("page", 1);
          message(row, "system", "Extract the total.");
          message(row, "user", "Café receipt " + i + " — 東京 €12.50\nTOTAL RM " + i + ".00");
          message(row, "assistant", "{\"total\": \"" + i + ".00\"}");
        });
  }

  /** How many row groups a file has, as its footer says. */
  public static int rowGroups(Path file) throws IOException {
    try (var reader = dev.hardwood.reader.ParquetFileReader.open(dev.hardwood.InputFile.of(file))) {
      return reader.getFileMetaData().rowGroups().size();
    }
  }

  /** The rows' messages as chat JSONL, as a user would have written the same data. */
  public static String chatJsonl(int rows) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < rows; i++) {
      out.append("{\"id\":")
          .append(i)
          .append(",\"messages\":[")
          .append(jsonMessage("system", "Extract the total."))
          .append(',')
          .append(jsonMessage("user", "Café receipt " + i + " — 東京 €12.50\\nTOTAL RM " + i + ".00"))
          .append(',')
          .append(jsonMessage("assistant", "{\\\"total\\\": \\\"" + i + ".00\\\"}"))
          .append("]}\n");
    }
    return out.toString();
  }

  private static String jsonMessage(String role, String escapedContent) {
    return "{\"role\":\"" + role + "\",\"content\":\"" + escapedContent + "\"}";
  }

  /** Snappy through snappy-java, so that writing needs no Hadoop codec classes. */
  private static final class SnappyOnly implements CompressionCodecFactory {
    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
      return new BytesInputCompressor() {
        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
          return BytesInput.from(Snappy.compress(bytes.toByteArray()));
        }

        @Override
        public CompressionCodecName getCodecName() {
          return CompressionCodecName.SNAPPY;
        }

        @Override
        public void release() {}
      };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
      throw new UnsupportedOperationException("these fixtures are only written here");
    }

    @Override
    public void release() {}
  }

  static List<String> columnsOf(Path file) {
    return DatasetNormalizer.parquetColumns(file);
  }
}
