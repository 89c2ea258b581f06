package dev.tuneforge.fieldmetrics;

import static dev.tuneforge.fieldmetrics.ValueNormaliser.normalise;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ValueNormaliserTest {

  @Test
  void amountsWrittenDifferentlyAreTheSameNumber() {
    assertThat(normalise("31.80")).isEqualTo("31.8");
    assertThat(normalise("31.8")).isEqualTo("31.8");
    assertThat(normalise("RM31.80")).isEqualTo("31.8");
    assertThat(normalise("RM 31.80")).isEqualTo("31.8");
    assertThat(normalise("rm31.8")).isEqualTo("31.8");
    assertThat(normalise("$7.10")).isEqualTo("7.1");
    assertThat(normalise("1,234.50")).isEqualTo("1234.5");
    assertThat(normalise("1234.5")).isEqualTo("1234.5");
    assertThat(normalise("12.00")).isEqualTo("12");
    assertThat(normalise("0.00")).isEqualTo("0");
    assertThat(normalise("-0.50")).isEqualTo("-0.5");
    assertThat(normalise(".5")).isEqualTo("0.5");
  }

  @Test
  void commaIsAThousandsSeparatorOnlyBeforeGroupsOfThreeDigits() {
    assertThat(normalise("1,234")).isEqualTo("1234");
    assertThat(normalise("1,5")).isEqualTo("1 5");
    assertThat(normalise("12,34.00")).isEqualTo("12 34 00");
  }

  @Test
  void datesAreReadDayFirstAndWrittenAsIso() {
    assertThat(normalise("21-11-16")).isEqualTo("2016-11-21");
    assertThat(normalise("21/11/2016")).isEqualTo("2016-11-21");
    assertThat(normalise("21.11.2016")).isEqualTo("2016-11-21");
    assertThat(normalise("2016-11-21")).isEqualTo("2016-11-21");
    assertThat(normalise("21 Nov 2016")).isEqualTo("2016-11-21");
    assertThat(normalise("21 NOVEMBER 2016")).isEqualTo("2016-11-21");
    assertThat(normalise("21-Nov-16")).isEqualTo("2016-11-21");
    assertThat(normalise("21st Nov, 2016")).isEqualTo("2016-11-21");
    assertThat(normalise("Nov 21, 2016")).isEqualTo("2016-11-21");
    assertThat(normalise("6/1/2018")).isEqualTo("2018-01-06");
    assertThat(normalise("28 MAR 18")).isEqualTo("2018-03-28");
  }

  @Test
  void ambiguousNumericDatesAreNeverReadMonthFirst() {
    assertThat(normalise("05/12/18")).isEqualTo("2018-12-05");
    // Month 25 does not exist, and month-first is not tried: the value stays text.
    assertThat(normalise("12/25/2018")).isEqualTo("12 25 2018");
    assertThat(normalise("31/02/2018")).isEqualTo("31 02 2018");
    assertThat(normalise("21 Foo 2016")).isEqualTo("21 foo 2016");
  }

  @Test
  void textIgnoresCaseWhitespaceAndPunctuation() {
    assertThat(normalise("  NO. 89&91,  Jalan Utama "))
        .isEqualTo(normalise("no 89 & 91 jalan utama"));
    assertThat(normalise("DIMILIKI OLEH T PLUS F&B SDN. BHD."))
        .isEqualTo("dimiliki oleh t plus f b sdn bhd");
    assertThat(normalise("NANDO'S\tCHICKENLAND")).isEqualTo("nando s chickenland");
    assertThat(normalise("A\u00a0B")).isEqualTo("a b");
    assertThat(normalise("...")).isEmpty();
  }

  @Test
  void unicodeIsCompatibilityNormalisedAndCaseFolded() {
    assertThat(normalise("CAFÉ")).isEqualTo(normalise("café"));
    assertThat(normalise("Cafe\u0301")).isEqualTo(normalise("Café"));
    assertThat(normalise("STRASSE")).isEqualTo(normalise("Straße"));
    assertThat(normalise("ＲＭ３１.８０")).isEqualTo("31.8");
    assertThat(normalise("東京 タワー")).isEqualTo("東京 タワー");
  }
}
