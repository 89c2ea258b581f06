package dev.tuneforge.app.base.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Plain JavaScript that components run on attach, read from the classpath, so the prebuilt frontend
 * bundle serves them as they are. Upload components start theirs with {@link #PART_PUT}, the shared
 * code that PUTs one part to a presigned URL with retries.
 */
public final class ClientScript {
  /** Defines {@code putPart(upload, job)}: PUT {@code job.blob} to {@code job.url}, retried. */
  public static final String PART_PUT = load(ClientScript.class, "part-put.js");

  private ClientScript() {}

  /** The script {@code name} beside {@code owner}'s class file. */
  public static String load(Class<?> owner, String name) {
    try (InputStream in = owner.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
