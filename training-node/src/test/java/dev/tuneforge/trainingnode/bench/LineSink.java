package dev.tuneforge.trainingnode.bench;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * An output stream that hands each complete UTF-8 line to a consumer, as a job's event stream
 * arrives.
 */
final class LineSink extends OutputStream {

  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final Consumer<String> consumer;

  LineSink(Consumer<String> consumer) {
    this.consumer = consumer;
  }

  @Override
  public void write(int b) {
    if (b == '\n') {
      String text = line.toString(StandardCharsets.UTF_8);
      line.reset();
      if (!text.isBlank()) {
        consumer.accept(text);
      }
    } else {
      line.write(b);
    }
  }
}
