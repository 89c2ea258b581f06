package dev.tuneforge.app.dataset.quality;

import static dev.tuneforge.app.SharedFiles.locate;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The one-pass pre-scan before the regexes changes nothing that is found or redacted. */
class PersonalDataPreScanTest {
  private static final String[] PIECES = {
    "jane.doe+x@example.co.uk",
    "a@b",
    "@",
    "4111 1111 1111 1111",
    "4111-1111-1111-1111",
    "4111 1111 1111 1112",
    "DE89 3704 0044 0532 0130 00",
    "GB82WEST12345698765432",
    "GB82WESTABCDEFGHIJ",
    "+44 20 7946 0958",
    "(030) 1234 5678",
    "03-8941 3808",
    "+49 (0) 30 1234 5678",
    "21-11-16",
    "RM 31.80",
    "000181747712",
    "١٢٣٤٥٦٧٨٩",
    "٣",
    "€",
    "東京",
    "é",
    "😀",
    "\u2003",
    "\t",
    "\n",
    " ",
    " ",
    "-",
    ".",
    "(",
    ")",
    "+",
    "0",
    "7",
    "12",
    "345",
    "6789",
    "A",
    "Z",
    "QX",
    "word",
    "TOTAL",
    "_",
    "x".repeat(40),
    "9".repeat(20)
  };

  /** What the scan reports, in order, and the redacted text. */
  private static String outcome(String text, boolean reference) {
    List<PersonalDataScanner.Kind> kinds = new ArrayList<>();
    String redacted =
        reference
            ? RegexOnlyScanner.scan(text, true, kinds::add)
            : PersonalDataScanner.scan(text, true, kinds::add);
    return kinds + " " + redacted;
  }

  private static void assertSameAsRegexOnly(String text) {
    String expected = outcome(text, true);
    assertThat(outcome(text, false)).as(text).isEqualTo(expected);
    char[] chars = ("«" + text + "»").toCharArray();
    if (!PersonalDataScanner.mayContain(chars, 1, text.length())) {
      assertThat(expected).as(text).isEqualTo("[] " + text);
    }
  }

  @Test
  void findsExactlyWhatTheRegexesFindInEverySroieMessage() throws IOException {
    JsonMapper json = JsonMapper.builder().build();
    int texts = 0;
    int withFindings = 0;
    for (String file : List.of("train.jsonl", "validation.jsonl")) {
      for (String line : Files.readAllLines(locate("shared/datasets/sroie/" + file))) {
        for (JsonNode message : json.readTree(line).get("messages")) {
          String text = message.get("content").asString();
          assertSameAsRegexOnly(text);
          texts++;
          withFindings += outcome(text, true).startsWith("[]") ? 0 : 1;
        }
      }
    }
    assertThat(texts).isGreaterThan(1000);
    assertThat(withFindings).isGreaterThan(200);
  }

  @Test
  void findsExactlyWhatTheRegexesFindInCraftedText() {
    SplittableRandom random = new SplittableRandom(20261122);
    for (int t = 0; t < 20_000; t++) {
      StringBuilder text = new StringBuilder();
      for (int p = random.nextInt(12); p >= 0; p--) {
        text.append(PIECES[random.nextInt(PIECES.length)]);
        if (random.nextBoolean()) {
          text.append(random.nextBoolean() ? " " : "");
        }
      }
      assertSameAsRegexOnly(text.toString());
    }
  }

  @Test
  void aRunOnlyCountsWhereTheOldScanCountedIt() {
    // An IBAN with fewer than 8 digits in the whole text is not looked for, as before.
    assertSameAsRegexOnly("GB82WESTABCDEFGHIJKL");
    // Non-ASCII digits neither count towards the 8 digits nor belong to a run: \d is [0-9].
    assertSameAsRegexOnly("١٢٣٤٥٦٧٨ 0123 456 789");
    assertSameAsRegexOnly("١٢٣٤٥٦٧٨ DE89 3704 0044 0532 0130 00");
    assertSameAsRegexOnly("4111 1111 1111 1111 " + "x".repeat(40_000) + " 4111 1111 1111 1111");
    assertSameAsRegexOnly("1".repeat(70_000));
    assertSameAsRegexOnly("");
  }
}
