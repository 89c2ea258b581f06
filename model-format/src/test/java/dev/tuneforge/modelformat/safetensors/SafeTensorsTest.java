package dev.tuneforge.modelformat.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

  @TempDir Path dir;

  @Test
  void roundTripsTensorsAndMetadata() throws IOException {
    Tensor matrix =
        new Tensor(new long[] {2, 3}, new float[] {1, -2, 3.5f, 0, Float.MIN_VALUE, -0f});
    Tensor vector = new Tensor(new long[] {1}, new float[] {42});
    Path file = dir.resolve("a.safetensors");

    SafeTensors.write(file, Map.of("z.weight", matrix, "a.bias", vector), Map.of("format", "pt"));
    SafeTensorsFile read = SafeTensors.read(file);

    assertThat(read.metadata()).containsExactly(Map.entry("format", "pt"));
    assertThat(read.tensor("z.weight")).isEqualTo(matrix);
    assertThat(read.tensor("a.bias")).isEqualTo(vector);
    assertThat(SafeTensors.shapes(file)).containsOnlyKeys("a.bias", "z.weight");
  }

  @Test
  void writesTheSameBytesForTheSameTensorsWithAnAlignedSortedHeader() throws IOException {
    Tensor one = new Tensor(new long[] {1}, new float[] {1});
    Tensor two = new Tensor(new long[] {2}, new float[] {2, 2});
    Path first = dir.resolve("1.safetensors");
    Path second = dir.resolve("2.safetensors");

    SafeTensors.write(first, Map.of("b", two, "a", one), Map.of("format", "pt"));
    SafeTensors.write(second, Map.of("a", one, "b", two), Map.of("format", "pt"));

    byte[] bytes = Files.readAllBytes(first);
    assertThat(bytes).isEqualTo(Files.readAllBytes(second));
    long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(headerLength % 8).isZero();
    String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
    assertThat(header).startsWith("{\"__metadata__\":{\"format\":\"pt\"},\"a\":");
    assertThat(header.indexOf("\"a\"")).isLessThan(header.indexOf("\"b\""));
  }

  @Test
  void convertsBf16AndF16ToFp32OnLoad() throws IOException {
    // bf16 0x3FC0 = 1.5, 0xC000 = -2; f16 0x3C00 = 1, 0xB800 = -0.5
    String header =
        "{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[4,8]},"
            + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}";
    Path file = handWritten(header, (short) 0x3FC0, (short) 0xC000, (short) 0x3C00, (short) 0xB800);

    SafeTensorsFile read = SafeTensors.read(file);

    assertThat(read.metadata()).isEmpty();
    assertThat(read.tensor("b").values()).containsExactly(1.5f, -2f);
    assertThat(read.tensor("h").values()).containsExactly(1f, -0.5f);
  }

  @Test
  void writesBf16RoundingToNearest() throws IOException {
    Path file = dir.resolve("bf16.safetensors");
    Tensor tensor = new Tensor(new long[] {3}, new float[] {1.5f, -2f, 1.00390625f});

    SafeTensors.write(file, Map.of("t", tensor), Map.of(), DataType.BF16);

    // 1 + 2^-8 lies halfway between bf16 neighbours 1 and 1 + 2^-7: ties go to even, i.e. 1.
    assertThat(SafeTensors.read(file).tensor("t").values()).containsExactly(1.5f, -2f, 1f);
  }

  @Test
  void refusesUnknownDtypesAndBadOffsets() throws IOException {
    Path int8 =
        handWritten("{\"t\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[0,2]}}", (short) 0);
    Path shortData =
        handWritten("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", (short) 0);

    assertThatThrownBy(() -> SafeTensors.read(int8)).hasMessageContaining("dtype I8");
    assertThatThrownBy(() -> SafeTensors.read(shortData)).hasMessageContaining("data_offsets");
  }

  private Path handWritten(String header, short... data) throws IOException {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buffer =
        ByteBuffer.allocate(8 + json.length + 2 * data.length).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putLong(json.length).put(json);
    for (short value : data) {
      buffer.putShort(value);
    }
    Path file = Files.createTempFile(dir, "hand", ".safetensors");
    Files.write(file, buffer.array());
    return file;
  }
}
