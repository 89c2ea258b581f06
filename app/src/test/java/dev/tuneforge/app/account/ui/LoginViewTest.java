package dev.tuneforge.app.account.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the sign-in page says when the throttle or a refused single sign-on sent the browser back.
 */
class LoginViewTest {
  @Test
  void aLockedAccountIsShownAsLockedWithTheMinutesLeft() {
    assertThat(LoginView.refusal(Map.of("locked", List.of("15"))))
        .hasValue("Too many failed sign-ins for this account; try again in 15 minutes.");
  }

  @Test
  void aLockedAddressIsShownAsTheAddresses() {
    assertThat(LoginView.refusal(Map.of("locked", List.of("3"), "address", List.of(""))))
        .hasValue("Too many failed sign-ins from your network address; try again in 3 minutes.");
  }

  @Test
  void aDelayIsShownInSeconds() {
    assertThat(LoginView.refusal(Map.of("wait", List.of("8"))))
        .hasValue("Too many failed sign-ins; try again in 8 s.");
  }

  @Test
  void anythingElseInTheAddressIsNotEchoed() {
    assertThat(LoginView.refusal(Map.of("locked", List.of("<b>soon</b>")))).isEmpty();
    assertThat(LoginView.refusal(Map.of("error", List.of("")))).isEmpty();
  }

  @Test
  void aTokenTheAppCouldNotTrustIsToldApartFromAFailedSignIn() {
    assertThat(LoginView.ssoRefusal("invalid-token"))
        .startsWith("The sign-in provider's answer could not be verified")
        .isNotEqualTo(LoginView.ssoRefusal("failed"));
  }
}
