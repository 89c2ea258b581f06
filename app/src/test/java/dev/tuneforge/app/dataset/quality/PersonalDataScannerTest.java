package dev.tuneforge.app.dataset.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.dataset.quality.PersonalDataScanner.Kind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PersonalDataScannerTest {
  private static List<Kind> found(String text) {
    List<Kind> kinds = new ArrayList<>();
    PersonalDataScanner.scan(text, false, kinds::add);
    return kinds;
  }

  @Test
  void cardNumbersMustBeLuhnValid() {
    assertThat(PersonalDataScanner.cardValid("4111 1111 1111 1111")).isTrue();
    assertThat(PersonalDataScanner.cardValid("5500-0000-0000-0004")).isTrue();
    assertThat(PersonalDataScanner.cardValid("4111 1111 1111 1112")).isFalse();
    assertThat(PersonalDataScanner.cardValid("0000 0000 0000 0000")).isFalse();
    assertThat(found("paid with 4111 1111 1111 1111 today")).containsExactly(Kind.CARD);
    assertThat(found("order 4111 1111 1111 1112 today")).isEmpty();
  }

  @Test
  void ibansMustPassMod97() {
    assertThat(PersonalDataScanner.ibanValid("DE89 3704 0044 0532 0130 00")).isTrue();
    assertThat(PersonalDataScanner.ibanValid("GB82WEST12345698765432")).isTrue();
    assertThat(PersonalDataScanner.ibanValid("DE89 3704 0044 0532 0130 01")).isFalse();
    assertThat(PersonalDataScanner.ibanValid("GB82WEST12345698765433")).isFalse();
    assertThat(found("IBAN DE89 3704 0044 0532 0130 00.")).containsExactly(Kind.IBAN);
    assertThat(found("ref GB82WEST12345698765433")).isEmpty();
  }

  @Test
  void emailsAndPhoneNumbersAreFoundConservatively() {
    assertThat(found("write to jane.doe+x@example.co.uk please")).containsExactly(Kind.EMAIL);
    assertThat(found("call +44 20 7946 0958 or (030) 1234 5678"))
        .containsExactly(Kind.PHONE, Kind.PHONE);
    assertThat(found("TEL: 03-8941 3808")).containsExactly(Kind.PHONE);
    // Dates, totals, invoice and GST numbers are not phone numbers.
    assertThat(
            found("21-11-16 TOTAL RM 31.80 INVOICE NO : 17858/102/T0308 GST ID. NO : 000181747712"))
        .isEmpty();
    assertThat(found("not an email: a@b, user@localhost")).isEmpty();
  }

  @Test
  void redactionReplacesEachMatchWithItsPlaceholder() {
    String redacted =
        PersonalDataScanner.scan(
            "Mail jane@example.com, card 4111-1111-1111-1111, IBAN GB82WEST12345698765432, phone +1 415 555 2671.",
            true,
            kind -> {});
    assertThat(redacted).isEqualTo("Mail [EMAIL], card [CARD], IBAN [IBAN], phone [PHONE].");
  }
}
