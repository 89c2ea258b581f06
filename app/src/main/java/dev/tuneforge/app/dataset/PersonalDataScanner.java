package dev.tuneforge.app.dataset;

import java.math.BigInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds personal data in message text: emails, phone numbers, payment card numbers (Luhn-valid)
 * and IBANs (mod-97 valid). Deliberately conservative: a digit run only counts when its checksum
 * holds or it is written the way phone numbers are written, so dates, totals and ids pass.
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
      Pattern.compile("(?<![\\w.%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63})*\\.[A-Za-z]{2,24}\\b");
  private static final Pattern IBAN = Pattern.compile("\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]){11,30}\\b");
  private static final Pattern CARD = Pattern.compile("(?<![\\w-])\\d(?:[ -]?\\d){12,18}(?![\\w-])");
  /** International (+ country code) or a local number with an area code in parentheses or a leading 0. */
  private static final Pattern PHONE =
      Pattern.compile("(?<![\\w+])(?:\\+\\d{1,3}[ .-]?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{1,4}(?:[ .-]?\\d{2,4}){2,4}"
          + "|\\(0?\\d{2,4}\\)[ .-]?\\d{3,4}[ .-]?\\d{3,4}"
          + "|0\\d{1,3}[ -]\\d{3,4}[ -]?\\d{3,4})(?![\\w-])");

  /** Told of each valid match. */
  interface Found {
    void found(Kind kind);
  }

  private PersonalDataScanner() {}

  /**
   * Reports each finding in {@code text}; returns the text with findings replaced when {@code
   * redact}. Each kind is looked for in the text with the earlier kinds already replaced, so that an
   * IBAN's digits are not counted again as a card or phone number.
   */
  static String scan(String text, boolean redact, Found found) {
    String result = text;
    if (result.indexOf('@') >= 0) {
      result = apply(EMAIL, Kind.EMAIL, result, found, m -> true);
    }
    // Each regex runs only where a match is possible at all: a run of the characters it is made of
    // holding enough digits (or symbols). One cheap scan of the text decides; most text has no such run.
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

  private static String apply(Pattern pattern, Kind kind, String text, Found found, Predicate<String> valid) {
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
  private static final int DIGIT = 1;
  private static final int IBAN_MEMBER = 2;
  private static final int IBAN_COUNTED = 4;
  private static final int CARD_MEMBER = 8;
  private static final int PHONE_MEMBER = 16;
  /** {@code @}, shifted down to {@link #EMAIL_AT} when found. */
  private static final int AT = 32;
  private static final int NON_ASCII = 64;
  /** Per ASCII character, what it is to the pre-scans: digits count towards every run. */
  private static final byte[] ASCII = new byte[128];

  static {
    for (char c = 'A'; c <= 'Z'; c++) {
      ASCII[c] = IBAN_MEMBER | IBAN_COUNTED;
    }
    for (char c = '0'; c <= '9'; c++) {
      ASCII[c] = DIGIT | IBAN_MEMBER | IBAN_COUNTED | CARD_MEMBER | PHONE_MEMBER;
    }
    ASCII[' '] = IBAN_MEMBER | CARD_MEMBER | PHONE_MEMBER;
    ASCII['-'] = CARD_MEMBER | PHONE_MEMBER;
    for (char c : ".()+".toCharArray()) {
      ASCII[c] = PHONE_MEMBER;
    }
    ASCII['@'] = AT;
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
    int found = 0;
    int digits = 0;
    int iban = 0;
    int card = 0;
    int phone = 0;
    for (int i = start, end = start + length; i < end; i++) {
      char c = text[i];
      int k = c < 128 ? ASCII[c] : NON_ASCII;
      if (k == 0) {
        iban = card = phone = 0;
        continue;
      }
      if (k == NON_ASCII) {
        digits += Character.isDigit(c) ? 1 : 0;
        iban = card = phone = 0;
        continue;
      }
      int digit = k & DIGIT;
      digits += digit;
      iban = (k & IBAN_MEMBER) == 0 ? 0 : iban + ((k >> 2) & 1);
      card = (k & CARD_MEMBER) == 0 ? 0 : card + digit;
      phone = (k & PHONE_MEMBER) == 0 ? 0 : phone + digit;
      found |= (iban >= 15 ? IBAN_RUN : 0) | (card >= 13 ? CARD_RUN : 0) | (phone >= 9 ? PHONE_RUN : 0)
          | (k & AT) >> 5;
    }
    return digits >= 8 ? found : found & EMAIL_AT;
  }
}
