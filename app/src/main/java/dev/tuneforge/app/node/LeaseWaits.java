package dev.tuneforge.app.node;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.stereotype.Component;

/**
 * The lease polls waiting on this replica, woken when its dispatch leased something: a waiting poll
 * then looks for its lease at once. Between wake-ups it looks every {@link #RECHECK}, which finds
 * leases another replica's dispatch wrote; before, every waiting poll asked the database four times
 * a second, and a fleet of waiting nodes kept the connection pool busy with it.
 */
@Component
class LeaseWaits {
  /** How long a waiting poll goes without looking when nothing wakes it. */
  static final Duration RECHECK = Duration.ofSeconds(1);

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition leased = lock.newCondition();
  private long leases;

  /** How many times this replica's dispatch leased something; read before looking. */
  long seen() {
    lock.lock();
    try {
      return leases;
    } finally {
      lock.unlock();
    }
  }

  /** This replica's dispatch leased jobs or merges: every waiting poll looks again. */
  void leased() {
    lock.lock();
    try {
      leases++;
      leased.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until dispatch leased something after {@code seen} ({@link #seen()} before the poll last
   * looked), or {@code atMost}, whichever comes first.
   */
  void await(long seen, Duration atMost) throws InterruptedException {
    long left = atMost.toNanos();
    lock.lock();
    try {
      while (leases == seen && left > 0) {
        left = leased.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }

  /** The re-check interval, cut to what is left before {@code deadlineNanos}. */
  static Duration next(long deadlineNanos) {
    long left = deadlineNanos - System.nanoTime();
    return Duration.ofNanos(Math.max(0, Math.min(left, RECHECK.toNanos())));
  }
}
