package dev.tuneforge.trainingnode.agent;

import java.time.Instant;

/** Timestamped lines on stderr: the agent runs under systemd or a container, both keep them. */
final class Log {
  private Log() {}

  static void info(String message) {
    write("INFO ", message);
  }

  static void warn(String message) {
    write("WARN ", message);
  }

  static void error(String message) {
    write("ERROR", message);
  }

  private static void write(String level, String message) {
    System.err.println(
        Instant.now() + " " + level + " [" + Thread.currentThread().getName() + "] " + message);
  }
}
