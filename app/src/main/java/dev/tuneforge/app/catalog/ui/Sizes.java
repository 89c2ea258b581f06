package dev.tuneforge.app.catalog.ui;

import java.util.Locale;

/** Parameter counts and byte sizes as people read them. */
final class Sizes {
  private Sizes() {}

  static String parameters(long count) {
    if (count >= 1_000_000_000L) {
      return String.format(Locale.ROOT, "%.2f B", count / 1e9);
    }
    if (count >= 1_000_000L) {
      return String.format(Locale.ROOT, "%.1f M", count / 1e6);
    }
    return String.format(Locale.ROOT, "%,d", count);
  }

  static String bytes(long bytes) {
    if (bytes >= 1L << 30) {
      return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
    }
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
  }
}
