package dev.tuneforge.modelformat.folder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import tools.jackson.databind.node.ObjectNode;

/** Edits a safetensors file's header in place, keeping its data: how broken uploads are made. */
final class Headers {

  private Headers() {}

  static void edit(Path file, Consumer<ObjectNode> change) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    int length = (int) ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    ObjectNode header =
        (ObjectNode) TinyModel.JSON.readTree(new String(bytes, 8, length, StandardCharsets.UTF_8));
    change.accept(header);
    byte[] json = TinyModel.JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(8 + json.length + bytes.length - 8 - length);
    out.order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).put(json);
    out.put(Arrays.copyOfRange(bytes, 8 + length, bytes.length));
    Files.write(file, out.array());
  }

  /** Cuts the last {@code bytes} bytes off, as an interrupted upload leaves a file. */
  static void truncate(Path file, int bytes) throws IOException {
    byte[] content = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(content, content.length - bytes));
  }
}
