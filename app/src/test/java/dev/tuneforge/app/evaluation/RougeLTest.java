package dev.tuneforge.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RougeLTest {

  @Test
  void isTheLcsFMeasureOverWordTokens() {
    // LCS "the cat on the mat" = 5 of 6 tokens on both sides.
    assertThat(RougeL.score("the cat sat on the mat", "the cat is on the mat"))
        .isCloseTo(5.0 / 6, within(1e-9));
    // LCS 2: precision 2/4, recall 2/2, F = 2/3.
    assertThat(RougeL.score("a b c d", "a c")).isCloseTo(2.0 / 3, within(1e-9));
    assertThat(RougeL.score("a c", "a b c d")).isCloseTo(2.0 / 3, within(1e-9));
    // Order matters: LCS of "c b a" and "a b c" is 1.
    assertThat(RougeL.score("c b a", "a b c")).isCloseTo(1.0 / 3, within(1e-9));
  }

  @Test
  void ignoresCaseAndPunctuationButNotWords() {
    assertThat(RougeL.score("Hello, World!", "hello world")).isEqualTo(1.0);
    assertThat(RougeL.score("{\"total\": \"31.80\"}", "total 31 80")).isEqualTo(1.0);
    assertThat(RougeL.score("Café 東京", "CAFÉ 東京")).isEqualTo(1.0);
    assertThat(RougeL.score("x y", "a b")).isZero();
  }

  @Test
  void emptyTextsScoreOneOnlyAgainstEachOther() {
    assertThat(RougeL.score("", " ")).isEqualTo(1.0);
    assertThat(RougeL.score("", "a")).isZero();
    assertThat(RougeL.score("a", "...")).isZero();
  }
}
