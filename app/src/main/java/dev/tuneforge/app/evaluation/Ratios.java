package dev.tuneforge.app.evaluation;

import java.util.Collection;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Arithmetic on figures that may be undefined (null): undefined in, undefined out. */
final class Ratios {
  private Ratios() {}

  /** tuned − base, or null when either is undefined. */
  static @Nullable Double delta(@Nullable Double base, @Nullable Double tuned) {
    return base == null || tuned == null ? null : tuned - base;
  }

  /** The mean of the defined values; null when none is. */
  static @Nullable Double meanOfDefined(Collection<@Nullable Double> values) {
    double[] defined = values.stream().filter(Objects::nonNull).mapToDouble(v -> v).toArray();
    if (defined.length == 0) {
      return null;
    }
    double sum = 0;
    for (double v : defined) {
      sum += v;
    }
    return sum / defined.length;
  }
}
