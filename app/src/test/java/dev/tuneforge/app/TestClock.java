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
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * The app's clock in integration tests: the system's time, shifted by what a test moved it. Tests
 * of rules that depend on the time (months, budgets, leases, liveness, token expiry) set or advance
 * it instead of reading the wall clock or sleeping; test classes share one application context, and
 * every context shares one database, so {@link ResetAfterEachTest} puts every context's clock back
 * after each test.
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

  /**
   * Every test context's clock back to the system's time after each test, however the test ended
   * and whether or not it reset the clock itself: test contexts share one database, so a clock left
   * moved in one context would let its Quartz jobs (node liveness, expired leases) and dispatch
   * judge the next test's nodes and leases by another time. Registered for every Spring test in
   * {@code META-INF/spring.factories}.
   */
  public static final class ResetAfterEachTest implements TestExecutionListener {
    @Override
    public void afterTestMethod(TestContext context) {
      reset(context);
    }

    @Override
    public void afterTestClass(TestContext context) {
      reset(context);
    }

    private static void reset(TestContext context) {
      if (context.hasApplicationContext()) {
        context
            .getApplicationContext()
            .getBeansOfType(TestClock.class)
            .values()
            .forEach(TestClock::reset);
      }
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
