package dev.tuneforge.app.dataset.quality;

import java.math.BigInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds personal data in message text: emails, phone numbers, payment card numbers (Luhn-valid) and
 * IBANs (mod-97 valid). Deliberately conservative: a digit run only counts when its checksum holds
 * or it is written the way phone numbers are written, so dates, totals and ids pass.
 */
final class PersonalDataScanner {
  enum Kind {
    EMAIL("[EMAIL]"),
    IBAN("[IBAN]"),
    CARD("[CARD]"),
    PHONE("[PHONE]");

    final String placeholder;

    Kind(String placeholder) {
      this.placeholder = placeholder;
    }
  }

  private static final Pattern EMAIL =
      Pattern.compile(
          "(?<![\\w.%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63})*\\.[A-Za-z]{2,24}\\b");
  private static final Pattern IBAN = Pattern.compile("\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]){11,30}\\b");
  private static final Pattern CARD =
      Pattern.compile("(?<![\\w-])\\d(?:[ -]?\\d){12,18}(?![\\w-])");

  /**
   * International (+ country code) or a local number with an area code in parentheses or a leading
   * 0.
   */
  private static final Pattern PHONE =
      Pattern.compile(
          "(?<![\\w+])(?:\\+\\d{1,3}[ .-]?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{1,4}(?:[ .-]?\\d{2,4}){2,4}"
              + "|\\(0?\\d{2,4}\\)[ .-]?\\d{3,4}[ .-]?\\d{3,4}"
              + "|0\\d{1,3}[ -]\\d{3,4}[ -]?\\d{3,4})(?![\\w-])");

  /** Told of each valid match. */
  interface Found {
    void found(Kind kind);
  }

  private PersonalDataScanner() {}

  /**
   * Reports each finding in {@code text}; returns the text with findings replaced when {@code
   * redact}. Each kind is looked for in the text with the earlier kinds already replaced, so that
   * an IBAN's digits are not counted again as a card or phone number.
   */
  static String scan(String text, boolean redact, Found found) {
    String result = text;
    if (result.indexOf('@') >= 0) {
      result = apply(EMAIL, Kind.EMAIL, result, found, m -> true);
    }
    // Each regex runs only where a match is possible at all: a run of the characters it is made of
    // holding enough digits (or symbols). One cheap scan of the text decides; most text has no such
    // run.
    int runs = runs(result);
    if ((runs & IBAN_RUN) != 0) {
      String before = result;
      result = apply(IBAN, Kind.IBAN, result, found, PersonalDataScanner::ibanValid);
      runs = result == before ? runs : runs(result);
    }
    if ((runs & CARD_RUN) != 0) {
      String before = result;
      result = apply(CARD, Kind.CARD, result, found, PersonalDataScanner::cardValid);
      runs = result == before ? runs : runs(result);
    }
    if ((runs & PHONE_RUN) != 0) {
      result = apply(PHONE, Kind.PHONE, result, found, PersonalDataScanner::phoneLike);
    }
    return redact ? result : text;
  }

  /**
   * Whether {@link #scan} could find anything in {@code length} chars of {@code text} from {@code
   * start}: false for most message text, which then needs no {@code String} and no regex. Replacing
   * a finding with its placeholder never lengthens a run, so this holds for the later kinds too.
   */
  static boolean mayContain(char[] text, int start, int length) {
    return runs(text, start, length) != 0;
  }

  private static String apply(
      Pattern pattern, Kind kind, String text, Found found, Predicate<String> valid) {
    Matcher m = pattern.matcher(text);
    StringBuilder out = null;
    int last = 0;
    while (m.find()) {
      if (!valid.test(m.group())) {
        continue;
      }
      found.found(kind);
      out = out == null ? new StringBuilder(text.length()) : out;
      out.append(text, last, m.start()).append(kind.placeholder);
      last = m.end();
    }
    if (out == null) {
      return text;
    }
    return out.append(text, last, text.length()).toString();
  }

  static boolean cardValid(String candidate) {
    String digits = candidate.replaceAll("[ -]", "");
    if (digits.length() < 13 || digits.length() > 19 || digits.chars().distinct().count() < 2) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < digits.length(); i++) {
      int d = digits.charAt(digits.length() - 1 - i) - '0';
      if (i % 2 == 1) {
        d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      }
      sum += d;
    }
    return sum % 10 == 0;
  }

  static boolean ibanValid(String candidate) {
    String iban = candidate.replace(" ", "");
    if (iban.length() < 15 || iban.length() > 34) {
      return false;
    }
    String rearranged = iban.substring(4) + iban.substring(0, 4);
    StringBuilder numeric = new StringBuilder();
    for (char c : rearranged.toCharArray()) {
      numeric.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
    }
    return new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
  }

  private static boolean phoneLike(String candidate) {
    long digits = candidate.chars().filter(Character::isDigit).count();
    return digits >= 9 && digits <= 15;
  }

  private static final int EMAIL_AT = 1;
  private static final int IBAN_RUN = 2;
  private static final int CARD_RUN = 4;
  private static final int PHONE_RUN = 8;

  /*
   * The pre-scan keeps four 16-bit counters in one long, updated per character without a branch:
   * the current IBAN run (capitals and digits, spaces kept), card run (digits, spaces and dashes
   * kept), phone run (digits, " .-()+" kept) and the digits so far. A character's class says which
   * counters it keeps and what it adds; adding BIAS sets a counter's top bit once it reaches its
   * threshold (15, 13, 9 and 8); those bits, or-ed over the text, say which runs it has.
   */
  private static final int OTHER = 0;
  private static final int DIGIT = 1;
  private static final int CAPITAL = 2;
  private static final int SPACE = 3;
  private static final int DASH = 4;
  private static final int PHONE_SIGN = 5;
  private static final int AT = 6;
  private static final long IBAN_FIELD = 1L;
  private static final long CARD_FIELD = 1L << 16;
  private static final long PHONE_FIELD = 1L << 32;
  private static final long DIGITS_FIELD = 1L << 48;
  private static final long[] KEEP = new long[7];
  private static final long[] ADD = new long[7];
  private static final long BIAS =
      (0x8000 - 15) * IBAN_FIELD
          | (0x8000 - 13) * CARD_FIELD
          | (0x8000 - 9) * PHONE_FIELD
          | (0x8000 - 8) * DIGITS_FIELD;
  private static final long TOP_BITS = 0x8000_8000_8000_8000L;

  /**
   * Counters are brought back to at most 16 this often, so that none can reach 0x8000 and carry.
   */
  static final int CHUNK = 1 << 14;

  /**
   * Per Latin-1 character, its class, and at index 256 that of every character above, {@link
   * #OTHER}: the patterns' {@code \d} is ASCII's [0-9], so no other digit can be part of a finding.
   */
  private static final byte[] LATIN1 = new byte[257];

  /** {@link #KEEP} and {@link #ADD} of each character's class, one load each per character. */
  private static final long[] KEEP_LATIN1 = new long[257];

  private static final long[] ADD_LATIN1 = new long[257];

  static {
    long all = 0xFFFFL * (IBAN_FIELD | CARD_FIELD | PHONE_FIELD | DIGITS_FIELD);
    long digits = 0xFFFFL * DIGITS_FIELD;
    KEEP[OTHER] = digits;
    KEEP[DIGIT] = all;
    KEEP[CAPITAL] = digits | 0xFFFFL * IBAN_FIELD;
    KEEP[SPACE] = all;
    KEEP[DASH] = digits | 0xFFFFL * (CARD_FIELD | PHONE_FIELD);
    KEEP[PHONE_SIGN] = digits | 0xFFFFL * PHONE_FIELD;
    KEEP[AT] = digits;
    ADD[DIGIT] = IBAN_FIELD | CARD_FIELD | PHONE_FIELD | DIGITS_FIELD;
    ADD[CAPITAL] = IBAN_FIELD;
    for (char c = 'A'; c <= 'Z'; c++) {
      LATIN1[c] = CAPITAL;
    }
    for (char c = '0'; c <= '9'; c++) {
      LATIN1[c] = DIGIT;
    }
    LATIN1[' '] = SPACE;
    LATIN1['-'] = DASH;
    for (char c : ".()+".toCharArray()) {
      LATIN1[c] = PHONE_SIGN;
    }
    LATIN1['@'] = AT;
    for (int c = 0; c < LATIN1.length; c++) {
      KEEP_LATIN1[c] = KEEP[LATIN1[c]];
      ADD_LATIN1[c] = ADD[LATIN1[c]];
    }
  }

  private static int runs(String text) {
    return runs(text.toCharArray(), 0, text.length()) & ~EMAIL_AT;
  }

  /**
   * The regexes worth running on the text, in one pass: {@link #EMAIL_AT} when it has an {@code @};
   * when it has at least 8 digits, each kind whose run it has: an IBAN's (capitals, digits and
   * spaces, 15 of them not spaces), a card's (digits, spaces and dashes, 13 digits) or a phone
   * number's (digits and {@code " .-()+"}, 9 digits).
   */
  private static int runs(char[] text, int start, int length) {
    long counters = 0;
    long found = 0;
    boolean at = false;
    for (int from = start, end = start + length; from < end; from += CHUNK) {
      for (int i = from, to = Math.min(end, from + CHUNK); i < to; i++) {
        char c = text[i];
        counters = step(counters, c);
        found |= flags(counters);
        at |= c == '@';
      }
      counters = clamp(counters);
    }
    return runs(found, at);
  }

  /*
   * The pre-scan in parts, for a caller that reads each char for its own reasons too: per char,
   * counters = step(counters, c), found |= flags(counters) and at |= c == '@'; at least every
   * CHUNK chars, counters = clamp(counters); at the end, mayContain(found, at).
   */

  static long step(long counters, char c) {
    int k = Math.min(c, 256);
    return (counters & KEEP_LATIN1[k]) + ADD_LATIN1[k];
  }

  static long flags(long counters) {
    return counters + BIAS;
  }

  static boolean mayContain(long found, boolean at) {
    return runs(found, at) != 0;
  }

  private static int runs(long found, boolean at) {
    long top = found & TOP_BITS;
    int runs = (at ? EMAIL_AT : 0);
    if ((top & 0x8000 * DIGITS_FIELD) != 0) {
      runs |=
          ((top & 0x8000 * IBAN_FIELD) != 0 ? IBAN_RUN : 0)
              | ((top & 0x8000 * CARD_FIELD) != 0 ? CARD_RUN : 0)
              | ((top & 0x8000 * PHONE_FIELD) != 0 ? PHONE_RUN : 0);
    }
    return runs;
  }

  /** Each counter, at most 16: enough to know it passed its threshold. */
  static long clamp(long counters) {
    long clamped = 0;
    for (int field = 0; field < 64; field += 16) {
      clamped |= Math.min((counters >>> field) & 0xFFFF, 16) << field;
    }
    return clamped;
  }
}
