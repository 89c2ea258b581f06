package dev.tuneforge.app.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.app.TestClock;
import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.account.AccessRefused.Endpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Guessing the current password on the password change, from an IPv6 client: five wrong guesses,
 * then even the right one is refused unchecked until the delay is over; clients are counted per
 * /64, so rotating addresses inside one network does not help. Every failure is audited with the
 * client's address. An admin's password resets, which check no secret, are counted per admin.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
class PasswordChangeThrottleIT {
  private static final String PASSWORD = "the-current-password-1";

  @Autowired UserLifecycleService lifecycle;
  @Autowired ClientThrottle throttle;
  @Autowired PasswordEncoder passwordEncoder;
  @Autowired JdbcClient jdbc;
  @Autowired TestClock clock;

  @AfterEach
  void reset() {
    clock.reset();
    RequestContextHolder.resetRequestAttributes();
  }

  @Test
  void wrongCurrentPasswordsDelayTheNextChange() {
    SignedInUser user = new TestRows(jdbc).member("changer");
    jdbc.sql("update app_user set password_hash = ? where id = ?")
        .params(passwordEncoder.encode(PASSWORD), user.userId())
        .update();
    from("2001:db8:5:6::1");
    for (int guess = 1; guess <= 5; guess++) {
      String wrong = "wrong-guess-" + guess;
      assertThatThrownBy(() -> change(user, wrong))
          .as("guess %d", guess)
          .hasMessage("The current password is not right");
    }
    assertThatThrownBy(() -> change(user, PASSWORD))
        .as("refused before the password is looked at")
        .hasMessageStartingWith("Too many failed attempts; try again in");

    clock.advance(Duration.ofMinutes(1));
    change(user, PASSWORD);
    assertThat(
            jdbc.sql(
                    "select action || ' ' || detail from audit_record where actor_name = ?"
                        + " and client_address = '2001:db8:5:6::1' order by id")
                .param(user.username())
                .query(String.class)
                .list())
        .hasSize(7)
        .startsWith("PASSWORD_CHANGE_FAILED wrong current password")
        .anySatisfy(line -> assertThat(line).startsWith("PASSWORD_CHANGE_FAILED delayed for "))
        .endsWith("PASSWORD_CHANGED ");
  }

  @Test
  void anAdminResettingPasswordInARunIsSlowedDownAndAudited() {
    TestRows rows = new TestRows(jdbc);
    SignedInUser member = rows.member("reset-target");
    UUID adminId = rows.user(member.tenantId(), "reset-admin-" + UUID.randomUUID());
    jdbc.sql("update app_user set role = 'TENANT_ADMIN' where id = ?").param(adminId).update();
    String adminName =
        jdbc.sql("select username from app_user where id = ?")
            .param(adminId)
            .query(String.class)
            .single();
    SignedInUser admin =
        new SignedInUser(
            adminId, member.tenantId(), adminName, adminName, Role.TENANT_ADMIN, "x", true);
    from("192.0.2.77");
    // The clock stands still between resets, so a loaded machine cannot outwait a delay.
    Instant start = Instant.now();
    for (int reset = 1; reset <= 10; reset++) {
      clock.set(start);
      reset(admin, member);
    }
    clock.set(start);
    assertThatThrownBy(() -> reset(admin, member))
        .hasMessageStartingWith("Too many password resets in a row; try again in");

    clock.set(start.plus(Duration.ofSeconds(2)));
    reset(admin, member);
    assertThat(
            jdbc.sql(
                    "select action || ' ' || detail from audit_record where actor_name = ?"
                        + " and client_address = '192.0.2.77' order by id")
                .param(adminName)
                .query(String.class)
                .list())
        .hasSize(12)
        .contains("PASSWORD_RESET_REFUSED delayed for 1 s after too many resets")
        .filteredOn(line -> line.startsWith("PASSWORD_RESET "))
        .hasSize(11);
  }

  @Test
  void clientsAreCountedPerSlash64() {
    String network = "2001:db8:" + Integer.toHexString(UUID.randomUUID().hashCode() & 0xffff);
    for (int guess = 1; guess <= 5; guess++) {
      String from = network + ":1::" + guess;
      assertThat(throttle.attempt(Endpoint.NODE_ENROLMENT, "", from))
          .as("guess %d from its own address", guess)
          .isEmpty();
      throttle.failed(Endpoint.NODE_ENROLMENT, "", from, "unknown enrolment token");
    }
    assertThat(throttle.attempt(Endpoint.NODE_ENROLMENT, "", network + ":1:ffff:1:2:3"))
        .as("another address of the same /64")
        .isPresent();
    assertThat(throttle.attempt(Endpoint.NODE_ENROLMENT, "", network + ":2::1"))
        .as("the next /64")
        .isEmpty();
  }

  private void change(SignedInUser user, String current) {
    TestRows.as(
        user,
        () -> {
          lifecycle.changeOwnPassword(current, "a-new-password-" + UUID.randomUUID());
          return null;
        });
  }

  private void reset(SignedInUser admin, SignedInUser member) {
    TestRows.as(
        admin,
        () -> {
          lifecycle.resetPassword(member.userId(), "a-reset-password-" + UUID.randomUUID());
          return null;
        });
  }

  private static void from(String address) {
    MockHttpServletRequest request = new MockHttpServletRequest();
    request.setRemoteAddr(address);
    RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
  }
}
