package dev.tuneforge.app;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * The app's clock in integration tests: the system's time, shifted by what a test moved it. Tests
 * of rules that depend on the time (months, budgets, leases, liveness, token expiry) set or advance
 * it instead of reading the wall clock or sleeping, and {@link #reset()} it afterwards, since test
 * classes share one application context.
 */
public final class TestClock extends Clock {
  private volatile Duration offset = Duration.ZERO;

  /** From now on the clock reads {@code at}, and runs on from there. */
  public void set(Instant at) {
    offset = Duration.between(Instant.now(), at);
  }

  /**
   * Noon on the 17th of next month: well inside a month, and later than anything other tests wrote,
   * so their nodes' heartbeats are old and their usage lies in another month.
   */
  public void setMidNextMonth() {
    set(
        YearMonth.now(ZoneOffset.UTC)
            .plusMonths(1)
            .atDay(17)
            .atTime(12, 0)
            .toInstant(ZoneOffset.UTC));
  }

  public void advance(Duration by) {
    offset = offset.plus(by);
  }

  public void reset() {
    offset = Duration.ZERO;
  }

  /**
   * For tests of month-bound rules: the clock at {@link #setMidNextMonth()} before each test, back
   * to the system's time after it.
   */
  public static final class MidNextMonth implements BeforeEachCallback, AfterEachCallback {
    @Override
    public void beforeEach(ExtensionContext context) {
      clock(context).setMidNextMonth();
    }

    @Override
    public void afterEach(ExtensionContext context) {
      clock(context).reset();
    }

    private static TestClock clock(ExtensionContext context) {
      return SpringExtension.getApplicationContext(context).getBean(TestClock.class);
    }
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(offset);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return ZoneOffset.UTC.equals(zone) ? this : Clock.offset(Clock.system(zone), offset);
  }
}
