package dev.tuneforge.app;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Real PostgreSQL for integration tests: one embedded server per test JVM, started on first use.
 * Storage points at a port nothing listens on; tests here do not reach object storage. The app's
 * clock is a {@link TestClock} that tests move, and {@code NestedConnections} reports where a
 * thread takes a second database connection. The OpenAPI document is not built at start-up unless a
 * test sets {@link #PREPARE_API_DOCS}.
 */
public final class TestDatabase
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {
  /**
   * Whether the app builds its OpenAPI document at start-up; false here unless a test says true.
   */
  public static final String PREPARE_API_DOCS = "tuneforge.api-docs.prepare-at-start-up";

  private static EmbeddedPostgres postgres;

  /** The embedded server, for tests that build their own data sources on it (migrated). */
  public static synchronized EmbeddedPostgres postgres() {
    if (postgres == null) {
      try {
        postgres = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return postgres;
  }

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    TestPropertyValues.of(
            "spring.datasource.url=" + postgres().getJdbcUrl("postgres", "postgres"),
            "spring.datasource.username=postgres",
            "spring.datasource.password=postgres",
            "tuneforge.storage.endpoint=http://127.0.0.1:1",
            "tuneforge.storage.access-key=" + TestObjectStorage.ACCESS_KEY,
            "tuneforge.storage.secret-key=" + TestObjectStorage.SECRET_KEY,
            "tuneforge.bootstrap.admin-password=admin-password-for-tests",
            // every test notes where a thread takes a second connection (OneConnectionAtATimeIT)
            "tuneforge.database.report-nested-connections=true")
        .applyTo(context);
    // Only the tests that read the API document want springdoc's seconds-long build at start-up.
    if (!context.getEnvironment().containsProperty(PREPARE_API_DOCS)) {
      TestPropertyValues.of(PREPARE_API_DOCS + "=false").applyTo(context);
    }
    if (context instanceof GenericApplicationContext beans) {
      beans.registerBean(
          TestClock.class, TestClock::new, definition -> definition.setPrimary(true));
    }
  }
}
