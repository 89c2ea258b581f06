package dev.tuneforge.app.account;

import static dev.tuneforge.app.TestRows.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestRows;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;

/**
 * User names are one name whatever their case, in every check, down to the database; and a tenant
 * admin creating a name another tenant holds learns nothing a name taken in their own tenant would
 * not tell them.
 */
@SpringBootTest
@ContextConfiguration(initializers = TestDatabase.class)
class UserNamesIT {
  private static final String PASSWORD = "a-long-enough-password-42";

  @Autowired AccountService accounts;
  @Autowired JdbcClient jdbc;

  @Test
  void aNameInAnyCaseIsTheSameAccountForSignInAndOwnerLookUps() {
    TestRows rows = new TestRows(jdbc);
    UUID tenant = rows.tenant("acme");
    String name = "Mixed.Case-" + suffix();
    UUID id = rows.user(tenant, name);

    assertThat(accounts.loadUserByUsername(name.toUpperCase()))
        .extracting(u -> ((SignedInUser) u).userId())
        .isEqualTo(id);
    assertThat(accounts.loadUserByUsername(name.toLowerCase()))
        .extracting(u -> ((SignedInUser) u).userId())
        .isEqualTo(id);
    assertThat(accounts.member(tenant, name.toLowerCase()))
        .get()
        .extracting(SignedInUser::userId)
        .isEqualTo(id);
    assertThat(accounts.member(rows.tenant("other"), name.toLowerCase()))
        .as("an API key's owner is looked up in the caller's tenant only")
        .isEmpty();
  }

  @Test
  void theDatabaseRefusesANameThatDiffersOnlyInCaseEvenWhenTheChecksAreRaced() {
    TestRows rows = new TestRows(jdbc);
    String name = "raced-" + suffix();
    rows.user(rows.tenant("first"), name);
    UUID second = rows.tenant("second");
    assertThatThrownBy(() -> rows.user(second, name.toUpperCase()))
        .isInstanceOf(DataIntegrityViolationException.class)
        .hasMessageContaining("uq_app_user_username_lower");
  }

  @Test
  void aNameHeldInAnotherTenantIsRefusedInTheSameWordsAsOneHeldInTheAdminsOwn() {
    TestRows rows = new TestRows(jdbc);
    UUID theirs = rows.tenant("theirs");
    String elsewhere = "victim-" + suffix();
    rows.user(theirs, elsewhere);
    UUID mine = rows.tenant("mine");
    String here = "colleague-" + suffix();
    rows.user(mine, here);
    SignedInUser admin = admin(mine, rows);

    String refusedElsewhere =
        refusal(admin, mine, elsewhere.toUpperCase()).replace(elsewhere.toUpperCase(), "NAME");
    String refusedHere =
        refusal(admin, mine, here.toUpperCase()).replace(here.toUpperCase(), "NAME");
    assertThat(refusedElsewhere)
        .isEqualTo(refusedHere)
        .isEqualTo("The username 'NAME' is not available; choose another");
    assertThat(
            jdbc.sql("select count(*) from app_user where tenant_id = ?")
                .param(mine)
                .query(Long.class)
                .single())
        .as("nothing was created")
        .isEqualTo(2);

    String free = "Newcomer-" + suffix();
    as(admin, () -> accounts.create(mine, free, "", PASSWORD, Role.MEMBER));
    assertThat(accounts.loadUserByUsername(free.toLowerCase()).getUsername()).isEqualTo(free);
  }

  private String refusal(SignedInUser admin, UUID tenant, String name) {
    try {
      as(admin, () -> accounts.create(tenant, name, "", PASSWORD, Role.MEMBER));
    } catch (IllegalArgumentException refused) {
      return refused.getMessage();
    }
    throw new AssertionError("creating " + name + " was not refused");
  }

  private static SignedInUser admin(UUID tenant, TestRows rows) {
    String name = "admin-" + suffix();
    return new SignedInUser(
        rows.user(tenant, name), tenant, name, name, Role.TENANT_ADMIN, "x", true);
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
