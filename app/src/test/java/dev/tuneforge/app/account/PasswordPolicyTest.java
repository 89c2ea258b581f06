package dev.tuneforge.app.account;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordPolicyTest {
  @Test
  void refusesShortPasswordsTheUserNameAndCommonOnesSayingWhy() {
    assertThatThrownBy(() -> PasswordPolicy.check("alice", "short-pass"))
        .hasMessage("A password needs at least 12 characters");
    assertThatThrownBy(() -> PasswordPolicy.check("alice.example", "Alice.Example"))
        .hasMessage("A password may not be the user name");
    assertThatThrownBy(() -> PasswordPolicy.check("alice", "Password1234"))
        .hasMessageContaining("most common");
    assertThatCode(() -> PasswordPolicy.check("alice", "plum-lantern-42"))
        .doesNotThrowAnyException();
  }
}
