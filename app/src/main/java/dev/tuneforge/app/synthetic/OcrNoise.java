package dev.tuneforge.app.synthetic;

import java.util.Map;
import java.util.Random;

/**
 * Character errors as OCR makes them: look-alike swaps (0/O, 1/l, 5/S, rn/m), dropped and doubled
 * characters, merged and split words. Line breaks are kept, so the layout survives.
 */
final class OcrNoise {
  private static final Map<Character, String> LOOK_ALIKES =
      Map.ofEntries(
          Map.entry('0', "OoD"),
          Map.entry('O', "0DQ"),
          Map.entry('o', "0ae"),
          Map.entry('1', "lI7"),
          Map.entry('l', "1I|"),
          Map.entry('I', "l1|"),
          Map.entry('i', "l1!"),
          Map.entry('5', "S$"),
          Map.entry('S', "5$"),
          Map.entry('s', "5"),
          Map.entry('8', "B3"),
          Map.entry('B', "8"),
          Map.entry('2', "Z"),
          Map.entry('Z', "2"),
          Map.entry('6', "G"),
          Map.entry('G', "6"),
          Map.entry('9', "g"),
          Map.entry('g', "9q"),
          Map.entry('e', "co"),
          Map.entry('c', "e("),
          Map.entry('a', "oe"),
          Map.entry('u', "v"),
          Map.entry('v', "u"),
          Map.entry('n', "h"),
          Map.entry('h', "b"),
          Map.entry('t', "f"),
          Map.entry('f', "t"),
          Map.entry('.', ","),
          Map.entry(',', "."),
          Map.entry(':', ";."),
          Map.entry('-', "~_"),
          Map.entry('/', "l|"));

  private OcrNoise() {}

  /** {@code text} with about {@code rate} of its characters (not line breaks) garbled. */
  static String apply(String text, double rate, Random random) {
    if (rate <= 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || random.nextDouble() >= rate) {
        out.append(c);
        continue;
      }
      double kind = random.nextDouble();
      String alike = LOOK_ALIKES.get(c);
      if (c == 'm' && kind < 0.5) {
        out.append("rn");
      } else if (c == ' ') {
        if (kind < 0.5) {
          out.append("  ");
        }
      } else if (alike != null && kind < 0.7) {
        out.append(alike.charAt(random.nextInt(alike.length())));
      } else if (kind < 0.85) {
        continue;
      } else if (kind < 0.93) {
        out.append(c).append(c);
      } else {
        out.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
      }
    }
    return out.toString();
  }
}
