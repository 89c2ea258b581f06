package dev.tuneforge.app;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
public class TuneforgeApplication {
  public static void main(String[] args) {
    SpringApplication.run(TuneforgeApplication.class, args);
  }

  /**
   * The one source of the current time for every rule that depends on it (leases, liveness, budgets
   * and month boundaries, upload expiry, enrolment tokens), so that tests move time instead of
   * sleeping. UTC: months and days of usage are UTC ones.
   */
  /** Stops a start without the database's or the object store's credentials. */
  @Bean
  static RequiredSettings requiredSettings() {
    return new RequiredSettings();
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
