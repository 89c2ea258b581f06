package dev.tuneforge.app;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The app's clock in integration tests: the system's time, shifted by what a test moved it.
 * Tests of rules that depend on the time (months, budgets, leases, liveness, token expiry)
 * set or advance it instead of reading the wall clock or sleeping, and {@link #reset()} it
 * afterwards, since test classes share one application context.
 */
public final class TestClock extends Clock {
  private volatile Duration offset = Duration.ZERO;

  /** From now on the clock reads {@code at}, and runs on from there. */
  public void set(Instant at) {
    offset = Duration.between(Instant.now(), at);
  }

  /**
   * Noon on the 17th of next month: well inside a month, and later than anything other tests
   * wrote, so their nodes' heartbeats are old and their usage lies in another month.
   */
  public void setMidNextMonth() {
    set(YearMonth.now(ZoneOffset.UTC).plusMonths(1).atDay(17).atTime(12, 0).toInstant(ZoneOffset.UTC));
  }

  public void advance(Duration by) {
    offset = offset.plus(by);
  }

  public void reset() {
    offset = Duration.ZERO;
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
