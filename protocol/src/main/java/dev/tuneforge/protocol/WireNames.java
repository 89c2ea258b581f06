package dev.tuneforge.protocol;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** The JSON spelling of the protocol's enums: the constant's name in lower case. */
final class WireNames {
  private WireNames() {}

  static String of(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }

  /** The constant spelled {@code name}; anything else is refused, naming what is known. */
  static <E extends Enum<E>> E parse(E[] constants, @Nullable String name, String what) {
    for (E constant : constants) {
      if (of(constant).equals(name)) {
        return constant;
      }
    }
    String known = Arrays.stream(constants).map(WireNames::of).collect(Collectors.joining(", "));
    throw new IllegalArgumentException("unknown " + what + " \"" + name + "\"; known: " + known);
  }
}
