package dev.tuneforge.app.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a key looks like, and what is kept of it. */
class KeyTextTest {

  @Test
  void keysAreTfAnd43Base62CharactersAndNeverRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String key = KeyText.generate();
      assertThat(key).matches("tf_[0-9A-Za-z]{43}");
      assertThat(KeyText.wellFormed(key)).isTrue();
      seen.add(key);
    }
    assertThat(seen).hasSize(1000);
  }

  @Test
  void onlyTheHashAndTheFirstCharactersAreKept() {
    String key = "tf_" + "a".repeat(43);
    assertThat(KeyText.hash(key))
        .hasSize(64)
        .isEqualTo(KeyText.hash(key))
        .isNotEqualTo(KeyText.hash(key + "b"));
    assertThat(KeyText.shown(key)).isEqualTo("tf_aaaaaaaa");
  }

  @Test
  void aConfiguredKeyMustBeLongAndOfLettersAndDigits() {
    assertThat(KeyText.wellFormed("tf_short")).isFalse();
    assertThat(KeyText.wellFormed("sk-" + "a".repeat(40))).isFalse();
    assertThat(KeyText.wellFormed("tf_" + "a".repeat(31) + "-")).isFalse();
    assertThat(KeyText.wellFormed("tf_" + "a".repeat(32))).isTrue();
  }
}
