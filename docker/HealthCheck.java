import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The images' health probe (there is no curl or shell in them): exits 0 when the URL answers 2xx,
 * or when a {@code file:} argument names an existing file; 1 otherwise, with the reason.
 */
public final class HealthCheck {
  private HealthCheck() {}

  public static void main(String[] args) {
    String target = args.length == 1 ? args[0] : "";
    try {
      if (target.startsWith("file:")) {
        Path file = Path.of(target.substring("file:".length()));
        if (!Files.isRegularFile(file)) {
          fail(file + " does not exist yet");
        }
        return;
      }
      HttpURLConnection connection = (HttpURLConnection) URI.create(target).toURL().openConnection();
      connection.setConnectTimeout(3000);
      connection.setReadTimeout(5000);
      int status = connection.getResponseCode();
      if (status / 100 != 2) {
        fail(target + " answered " + status);
      }
    } catch (Exception e) {
      fail(target + ": " + e);
    }
  }

  private static void fail(String reason) {
    System.err.println("unhealthy: " + reason);
    System.exit(1);
  }
}
