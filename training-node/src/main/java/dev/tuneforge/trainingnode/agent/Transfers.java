package dev.tuneforge.trainingnode.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Moves job files through presigned URLs. Files are streamed, never held in memory: base models run
 * to gigabytes. No credential is ever sent: the URL itself is the permission.
 */
final class Transfers {
  private static final int ATTEMPTS = 3;
  private static final Duration RETRY_PAUSE = Duration.ofSeconds(2);

  private final HttpClient http;

  Transfers(HttpClient http) {
    this.http = http;
  }

  /**
   * The app names files by relative path; anything that could land outside the job folder is
   * refused.
   */
  static Path resolveInside(Path jobDir, String relative) {
    if (relative.isBlank()
        || relative.startsWith("/")
        || relative.startsWith("\\")
        || relative.contains("\\")) {
      throw new IllegalArgumentException("refusing file path '" + relative + "'");
    }
    for (String part : relative.split("/")) {
      if (part.equals("..") || part.equals(".")) {
        throw new IllegalArgumentException("refusing file path '" + relative + "'");
      }
    }
    Path resolved = jobDir.resolve(relative).normalize();
    if (!resolved.startsWith(jobDir.normalize()) || resolved.equals(jobDir.normalize())) {
      throw new IllegalArgumentException("refusing file path '" + relative + "'");
    }
    return resolved;
  }

  /** Fresh URLs by file name, signed again by the app; empty when it signs none. */
  @FunctionalInterface
  interface FreshUrls {
    Optional<Map<String, String>> get() throws IOException, InterruptedException;
  }

  /**
   * Downloads each file of {@code urls}, named by its path inside {@code folder}, and returns the
   * bytes. The URLs live about as long as a lease: when storage refuses one (403, such as after a
   * long download of the files before it), the app is asked for {@code fresh} URLs and that file is
   * tried once more with its fresh one; the files after it use the fresh URLs too.
   *
   * @throws IOException {@code "could not download <file>: …"}, the file as {@code naming} names
   *     it, saying too when a fresh URL failed as well or the app gave none
   */
  long downloadAll(
      UnaryOperator<String> naming, Map<String, String> urls, Path folder, FreshUrls fresh)
      throws IOException, InterruptedException {
    Map<String, String> current = new LinkedHashMap<>(urls);
    long total = 0;
    for (String name : urls.keySet()) {
      String failed = "could not download " + naming.apply(name);
      try {
        Path target = resolveInside(folder, name);
        try {
          total += download(URI.create(current.get(name)), target);
        } catch (IOException e) {
          if (!refused(e)) {
            throw new IOException(failed + ": " + e.getMessage(), e);
          }
          Log.warn("storage refused " + naming.apply(name) + "; asking the app for fresh URLs");
          current.putAll(freshUrls(failed, name, e, fresh));
          try {
            total += download(URI.create(current.get(name)), target);
          } catch (IOException again) {
            throw new IOException(failed + " with a fresh URL: " + again.getMessage(), again);
          }
        }
      } catch (IllegalArgumentException e) {
        throw new IOException(failed + ": " + e.getMessage(), e);
      }
    }
    return total;
  }

  private static Map<String, String> freshUrls(
      String failed, String name, IOException refused, FreshUrls fresh)
      throws IOException, InterruptedException {
    Optional<Map<String, String>> again;
    try {
      again = fresh.get();
    } catch (IOException e) {
      throw new IOException(
          failed
              + ": "
              + refused.getMessage()
              + ", and the app gave no fresh URLs: "
              + e.getMessage(),
          e);
    }
    if (again.isEmpty() || !again.get().containsKey(name)) {
      throw new IOException(failed + ": " + refused.getMessage(), refused);
    }
    return again.get();
  }

  long download(URI url, Path target) throws IOException, InterruptedException {
    Files.createDirectories(target.getParent());
    Path partial = target.resolveSibling(target.getFileName() + ".part");
    return withRetries(
        "download to " + target.getFileName(),
        () -> {
          HttpRequest request = HttpRequest.newBuilder(url).GET().build();
          HttpResponse<InputStream> response =
              http.send(request, HttpResponse.BodyHandlers.ofInputStream());
          try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
              throw new TransferStatusException(response.statusCode());
            }
            long bytes = Files.copy(body, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            return bytes;
          }
        });
  }

  long upload(Path source, URI url) throws IOException, InterruptedException {
    return withRetries(
        "upload of " + source.getFileName(),
        () -> {
          HttpRequest request =
              HttpRequest.newBuilder(url).PUT(HttpRequest.BodyPublishers.ofFile(source)).build();
          HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() / 100 != 2) {
            throw new TransferStatusException(response.statusCode());
          }
          return Files.size(source);
        });
  }

  private interface Attempt {
    long run() throws IOException, InterruptedException;
  }

  private static long withRetries(String what, Attempt attempt)
      throws IOException, InterruptedException {
    IOException last = null;
    for (int i = 1; i <= ATTEMPTS; i++) {
      try {
        return attempt.run();
      } catch (TransferStatusException e) {
        // 403/404 mean an expired or wrong URL: asking again gets the same answer
        if (e.status < 500) {
          throw new IOException(what + " failed: HTTP " + e.status, e);
        }
        last = e;
      } catch (IOException e) {
        last = e;
      }
      if (i < ATTEMPTS) {
        Log.warn(what + " failed (" + describe(last) + "), retrying");
        Thread.sleep(RETRY_PAUSE.toMillis());
      }
    }
    throw new IOException(
        what + " failed after " + ATTEMPTS + " attempts: " + describe(last), last);
  }

  /**
   * Whether storage refused a transfer with 403, as it answers a presigned URL past its lifetime:
   * fresh URLs from the app may work where asking again with this one cannot.
   */
  static boolean refused(Throwable failure) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 8; t = t.getCause(), depth++) {
      if (t instanceof TransferStatusException status && status.status == 403) {
        return true;
      }
    }
    return false;
  }

  /**
   * The exception's class and message, then each cause's: a refused connection is a {@code
   * ConnectException} with no message of its own.
   */
  static String describe(Throwable failure) {
    StringBuilder text = new StringBuilder();
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 8; t = t.getCause(), depth++) {
      if (!text.isEmpty()) {
        text.append(", caused by ");
      }
      text.append(t.getClass().getName());
      if (t.getMessage() != null) {
        text.append(": ").append(t.getMessage());
      }
    }
    return text.toString();
  }

  private static final class TransferStatusException extends IOException {
    private final int status;

    TransferStatusException(int status) {
      super("HTTP " + status);
      this.status = status;
    }
  }
}
