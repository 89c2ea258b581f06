package dev.tuneforge.app.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.FormSignIn;
import dev.tuneforge.app.TestClock;
import dev.tuneforge.app.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.ContextConfiguration;

/**
 * Guessing passwords through the real sign-in form, each attempt a browser's: the page, its CSRF
 * token, the POST. Clients connect from their own loopback addresses (127.0.0.x), so the server
 * sees one address per client as it would behind no proxy.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.class)
class SignInThrottleIT {
  private static final String PASSWORD = "the-right-password";

  @LocalServerPort int port;
  @Autowired UserRepository users;
  @Autowired PasswordEncoder passwordEncoder;
  @Autowired TestClock clock;

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  @Test
  void tenWrongPasswordsLockTheAccountForFifteenMinutesButNotOtherAccounts() throws Exception {
    String victim = account();
    String bystander = account();

    String lastAnswer = guessTenTimes(victim, "127.0.0.2");
    assertThat(lastAnswer)
        .as("the tenth failure still looks like a wrong password")
        .endsWith("/login?error");
    assertThat(signIn(victim, PASSWORD, "127.0.0.2")).endsWith("/login?locked=15");
    assertThat(signIn(victim, PASSWORD, "127.0.0.3"))
        .as("the lock is the account's, from any address")
        .endsWith("/login?locked=15");
    assertThat(signIn(bystander, PASSWORD, "127.0.0.4")).as("signed in").endsWith("/");

    clock.advance(Duration.ofMinutes(10));
    assertThat(signIn(victim, PASSWORD, "127.0.0.2")).endsWith("/login?locked=5");
    clock.advance(Duration.ofMinutes(6));
    assertThat(signIn(victim, PASSWORD, "127.0.0.2")).as("signed in after the lock").endsWith("/");
  }

  @Test
  void anUnknownUserNameGetsTheSameAnswers() throws Exception {
    String unknown = "nobody-" + UUID.randomUUID().toString().substring(0, 8);
    String lastAnswer = guessTenTimes(unknown, "127.0.0.5");
    assertThat(lastAnswer).endsWith("/login?error");
    assertThat(signIn(unknown, PASSWORD, "127.0.0.5")).endsWith("/login?locked=15");
  }

  @Test
  void aSuccessClearsTheAccountsFailures() throws Exception {
    String user = account();
    for (int i = 0; i < 4; i++) {
      signIn(user, "wrong-" + i, "127.0.0.6");
    }
    assertThat(signIn(user, PASSWORD, "127.0.0.6")).endsWith("/");
    for (int i = 0; i < 4; i++) {
      assertThat(signIn(user, "wrong-again-" + i, "127.0.0.6"))
          .as("no delay: the count started again")
          .endsWith("/login?error");
    }
  }

  @Test
  void guessesSentAllAtOnceAreCheckedNoMoreOftenThanOneByOne() throws Exception {
    String user = account();
    List<FormSignIn> browsers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      browsers.add(new FormSignIn(port, "127.0.0.7"));
    }
    List<String> answers;
    try (ExecutorService parallel = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<String>> sent = new ArrayList<>();
      for (int i = 0; i < browsers.size(); i++) {
        FormSignIn browser = browsers.get(i);
        String guess = "parallel-guess-" + i;
        sent.add(parallel.submit(() -> browser.signIn(user, guess)));
      }
      answers = new ArrayList<>();
      for (Future<String> answer : sent) {
        answers.add(answer.get());
      }
    }
    assertThat(answers)
        .as("five guesses checked, the rest refused before their password was looked at")
        .filteredOn(answer -> answer.endsWith("/login?error"))
        .hasSize(5);
    assertThat(answers).filteredOn(answer -> answer.contains("/login?wait=")).hasSize(15);
  }

  /**
   * Ten wrong passwords; from the fifth failure on the next attempt waits a growing delay (1 s, 2
   * s, 4 s …), during which even the right password is refused without being checked.
   */
  private String guessTenTimes(String username, String address) throws Exception {
    String answer = "";
    for (int failure = 1; failure <= 10; failure++) {
      answer = signIn(username, "guess-" + failure, address);
      assertThat(answer).as("failure %d", failure).endsWith("/login?error");
      if (failure >= 5 && failure < 10) {
        long delay = 1L << (failure - 5);
        assertThat(signIn(username, PASSWORD, address))
            .as("right password during the delay after failure %d", failure)
            .endsWith("/login?wait=" + delay);
        clock.advance(Duration.ofSeconds(delay));
      }
    }
    return answer;
  }

  private String account() {
    String name = "user-" + UUID.randomUUID().toString().substring(0, 8);
    users.save(
        new AppUser(null, name, name, passwordEncoder.encode(PASSWORD), Role.PLATFORM_ADMIN));
    return name;
  }

  /** Where the sign-in POST sends the browser. */
  private String signIn(String username, String password, String from) throws Exception {
    return new FormSignIn(port, from).signIn(username, password);
  }
}
