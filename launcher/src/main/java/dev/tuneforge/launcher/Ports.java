package dev.tuneforge.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Free ports and waiting for a server to answer on one. */
final class Ports {
  private Ports() {}

  /** A port nobody listens on right now; {@code requested} itself unless it is 0. */
  static int resolve(int requested) {
    if (requested != 0) {
      return requested;
    }
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not find a free port", e);
    }
  }

  static boolean answers(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Refuses early, with a clear message, when something else already listens on the port. */
  static void requireFree(int port, String what, String setting) {
    if (answers(port)) {
      throw new IllegalStateException(
          "Port "
              + port
              + " for "
              + what
              + " is already in use. Stop whatever listens there, or choose another port with "
              + setting
              + ".");
    }
  }

  /**
   * Waits until the port answers.
   *
   * @param alive false once the server's process has died, which ends the wait early
   */
  static void awaitOpen(int port, Duration timeout, BooleanSupplier alive, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (answers(port)) {
        return;
      }
      if (!alive.getAsBoolean()) {
        throw new IllegalStateException(what + " exited before it listened on port " + port);
      }
      sleep(Duration.ofMillis(200));
    }
    throw new IllegalStateException(
        what + " did not listen on port " + port + " within " + timeout.toSeconds() + " s");
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
