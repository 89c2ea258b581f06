package dev.tuneforge.app;

import dev.tuneforge.app.storage.ObjectStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Real object storage for the integration tests that need it: S3Proxy with its filesystem backend
 * (CORS open, as the local launcher runs it), its own process, one per test JVM, started on first
 * use. Use together with {@link TestDatabase}, after it.
 */
public final class TestObjectStorage
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {
  public static final String ACCESS_KEY = "test-access";
  public static final String SECRET_KEY = "test-secret-key";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static String endpoint;

  /** The S3 endpoint, starting S3Proxy if it is not running yet. */
  public static synchronized String endpoint() {
    if (endpoint == null) {
      endpoint = start();
    }
    return endpoint;
  }

  /** Stores {@code text} as the object {@code key}, through a file in {@code dir}. */
  public static void putText(ObjectStorage storage, Path dir, String key, String text) {
    try {
      Path file = Files.createTempFile(dir, "object", ".bin");
      Files.writeString(file, text);
      storage.put(key, file, "application/octet-stream");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * PUTs {@code length} bytes of {@code bytes} from {@code offset} to a presigned {@code url}, as a
   * browser or script does; returns the HTTP status, or 0 where storage closed the connection
   * before the body was sent.
   */
  public static int put(String url, byte[] bytes, int offset, int length)
      throws InterruptedException {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create(url))
                  .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes, offset, length))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException refused) {
      return 0;
    }
  }

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    TestPropertyValues.of(
            "tuneforge.storage.endpoint=" + endpoint(),
            "tuneforge.storage.access-key=" + ACCESS_KEY,
            "tuneforge.storage.secret-key=" + SECRET_KEY)
        .applyTo(context);
  }

  private static String start() {
    try {
      Path dir = Files.createTempDirectory("tuneforge-s3-");
      Path data = Files.createDirectories(dir.resolve("s3"));
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      Path properties =
          Files.writeString(
              dir.resolve("s3proxy.properties"),
              String.join(
                  "\n",
                  "s3proxy.endpoint=http://127.0.0.1:" + port,
                  "s3proxy.authorization=aws-v2-or-v4",
                  "s3proxy.identity=" + ACCESS_KEY,
                  "s3proxy.credential=" + SECRET_KEY,
                  "s3proxy.cors-allow-all=true",
                  "jclouds.provider=filesystem",
                  "jclouds.identity=" + ACCESS_KEY,
                  "jclouds.credential=" + SECRET_KEY,
                  "jclouds.filesystem.basedir=" + data.toAbsolutePath(),
                  ""));
      String jar = System.getProperty("tuneforge.s3proxy.jar", "target/s3proxy/s3proxy.jar");
      Process process =
          new ProcessBuilder(
                  List.of(
                      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                      "-Xmx256m",
                      "-XX:TieredStopAtLevel=1",
                      "-DLOG_LEVEL=warn",
                      "-jar",
                      jar,
                      "--properties",
                      properties.toString()))
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("s3proxy.log").toFile())
              .start();
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
      long deadline = System.nanoTime() + 90_000_000_000L;
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException("S3Proxy stopped; see " + dir.resolve("s3proxy.log"));
        }
        try (Socket ignored = new Socket("127.0.0.1", port)) {
          return "http://127.0.0.1:" + port;
        } catch (IOException notYet) {
          Thread.sleep(200);
        }
      }
      throw new IllegalStateException("S3Proxy did not open port " + port + " in 90 s");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
