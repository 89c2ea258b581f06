package dev.tuneforge.app.base.ui;

import com.vaadin.flow.dom.Element;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Plain JavaScript that components run on attach, read from the classpath, so the prebuilt frontend
 * bundle serves them as they are. Upload components start theirs with {@link #PART_PUT}, the shared
 * code that PUTs parts to presigned URLs with retries, a few at a time, and reports progress.
 */
public final class ClientScript {
  /**
   * Defines {@code putPart(upload, job)} (PUT {@code job.blob} to {@code job.url}, retried), {@code
   * partUploads(host)} (one upload at a time with progress, finish, failure and {@code $tfCancel})
   * and {@code inParallel(upload, count, parallel, send)}.
   */
  public static final String PART_PUT = load(ClientScript.class, "part-put.js");

  private ClientScript() {}

  /**
   * Stops the browser's requests of the upload under way in {@code upload}'s element first, so that
   * no part lands after an abort, and then runs {@code then}, whether the browser answered or not.
   */
  public static void stopUpload(Element upload, Runnable then) {
    upload
        .executeJs("return this.$tfCancel && this.$tfCancel()")
        .then(done -> then.run(), failure -> then.run());
  }

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
