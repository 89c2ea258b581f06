package dev.tuneforge.app.dataset.split;

import java.nio.file.Path;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How an upload's rows are divided into training and validation rows, chosen at upload. The
 * division is streamed: each row is assigned as it is read, so memory does not grow with the file.
 */
public sealed interface DatasetSplit {
  /** Every row is a training row. */
  record None() implements DatasetSplit {}

  /**
   * Each row goes to validation with probability {@code validationPercent}/100, decided by a hash
   * of {@code seed} and the row's position in the file: the same file and seed give the same split.
   */
  record Random(double validationPercent, long seed) implements DatasetSplit {
    public Random {
      if (!(validationPercent > 0 && validationPercent < 100)) {
        throw new IllegalArgumentException(
            "The validation share must be between 0 and 100 %, not " + validationPercent);
      }
    }

    /**
     * Whether the row at {@code position} (any stable number, e.g. its line) is a validation row.
     */
    public boolean validation(long position) {
      long h = mix(seed ^ mix(position + 0x9E3779B97F4A7C15L));
      return (h >>> 11) * 0x1.0p-53 * 100 < validationPercent;
    }

    /** SplitMix64's finaliser: every input bit flips each output bit with probability about 1/2. */
    private static long mix(long z) {
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }
  }

  /**
   * Each row names its side in {@code field}: a top-level key of a JSONL row, or a column of a CSV
   * file. Its value is {@code train} or {@code validation} (see {@link #side}).
   */
  record ByField(String field) implements DatasetSplit {
    public ByField {
      field = field.strip();
      if (field.isEmpty()) {
        throw new IllegalArgumentException("Name the field that holds each row's split");
      }
    }
  }

  /**
   * The upload holds the training rows; {@code file} (uploaded as {@code fileName}) the validation
   * rows.
   */
  record SeparateFile(String fileName, Path file) implements DatasetSplit {}

  static DatasetSplit none() {
    return new None();
  }

  /** A short description, as the datasets list shows it. */
  default String describe() {
    return switch (this) {
      case None n -> "none";
      case Random r ->
          String.format(
              Locale.ROOT, "random %s%% (seed %d)", percent(r.validationPercent()), r.seed());
      case ByField f -> "by \"" + f.field() + "\"";
      case SeparateFile s -> "file " + s.fileName();
    };
  }

  /**
   * {@link Boolean#TRUE} for a validation value ({@code validation}, {@code valid}, {@code val},
   * {@code eval}, {@code dev}), {@link Boolean#FALSE} for a training one ({@code train}, {@code
   * training}), null for anything else; case and surrounding spaces do not matter.
   */
  static @Nullable Boolean side(String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "train", "training" -> Boolean.FALSE;
      case "validation", "valid", "val", "eval", "dev" -> Boolean.TRUE;
      default -> null;
    };
  }

  private static String percent(double p) {
    return p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p);
  }
}
