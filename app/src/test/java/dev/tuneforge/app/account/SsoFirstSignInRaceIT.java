package dev.tuneforge.app.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.tenancy.TenantService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two first sign-ins through single sign-on racing for one user name (two tabs of one user, or two
 * app replicas): the second one's insert waits on the first's uncommitted row in PostgreSQL's
 * unique index, and once the first commits it signs the same user into the same account, or, for
 * another subject with the same name, is refused as "name taken" rather than with a generic error.
 */
@SpringBootTest
@ContextConfiguration(initializers = TestDatabase.class)
class SsoFirstSignInRaceIT {
  private static final String ISSUER = "https://sso.example.com/realms/race";
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @Autowired SsoAccounts accounts;
  @Autowired TenantService tenants;
  @Autowired TransactionTemplate transactions;
  @Autowired JdbcClient jdbc;

  private final ExecutorService second = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    second.shutdownNow();
  }

  @Test
  void twoFirstSignInsOfOneUserEndInOneAccount() throws Exception {
    String suffix = suffix();
    UUID tenant = tenants.ensureSsoTenant("Race " + suffix, "race-" + suffix).getId();
    String subject = UUID.randomUUID().toString();
    Map<String, Object> claims = claims("rita-" + suffix, "race-" + suffix);

    AtomicReference<Future<SignedInUser>> other = new AtomicReference<>();
    SignedInUser first =
        transactions.execute(
            status -> {
              SignedInUser mine = accounts.signIn(ISSUER, subject, claims);
              other.set(second.submit(() -> accounts.signIn(ISSUER, subject, claims)));
              awaitInsertWaitingOnUs(other.get());
              return mine;
            });

    SignedInUser raced = other.get().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertThat(raced.userId()).isEqualTo(first.userId());
    assertThat(raced.tenantId()).isEqualTo(tenant);
    assertThat(
            jdbc.sql("select count(*) from app_user where external_subject = ?")
                .param(ISSUER + "#" + subject)
                .query(Integer.class)
                .single())
        .isEqualTo(1);
  }

  @Test
  void anotherSubjectRacingForTheSameNameIsToldTheNameIsTaken() throws Exception {
    String suffix = suffix();
    tenants.ensureSsoTenant("Race " + suffix, "race-" + suffix);
    Map<String, Object> claims = claims("sam-" + suffix, "race-" + suffix);

    AtomicReference<Future<SignedInUser>> other = new AtomicReference<>();
    transactions.executeWithoutResult(
        status -> {
          accounts.signIn(ISSUER, UUID.randomUUID().toString(), claims);
          other.set(
              second.submit(() -> accounts.signIn(ISSUER, UUID.randomUUID().toString(), claims)));
          awaitInsertWaitingOnUs(other.get());
        });

    assertThatThrownBy(() -> other.get().get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            OAuth2AuthenticationException.class,
            e -> assertThat(e.getError().getErrorCode()).isEqualTo("name-taken"));
  }

  /** Polls until another connection waits for this transaction to end: the raced insert. */
  private void awaitInsertWaitingOnUs(Future<?> other) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      int waiting =
          jdbc.sql(
                  "select count(*) from pg_locks where locktype = 'transactionid' and not granted"
                      + " and transactionid = pg_current_xact_id()::xid")
              .query(Integer.class)
              .single();
      if (waiting > 0) {
        return;
      }
      if (other.isDone()) {
        throw new AssertionError("The second sign-in ended without waiting for the first");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("The second sign-in never reached its insert");
  }

  private static Map<String, Object> claims(String username, String group) {
    return Map.of(
        "preferred_username", username,
        "groups", List.of(group),
        "tuneforge_roles", List.of("member"));
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
