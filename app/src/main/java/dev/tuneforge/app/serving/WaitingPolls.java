package dev.tuneforge.app.serving;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The node polls waiting on this replica for a generation to be queued, woken one per generation
 * rather than all at once: a generation queued for a base model wakes one waiting poll, one whose
 * node has that base loaded if any waits, else the one waiting longest. Each woken poll asks the
 * queue once, so a generation costs one query on each replica however many nodes wait, and the
 * other polls sleep on. A woken poll that leaves with another base's generations passes its wake on
 * ({@link Waiter#leave}), so that the generation it was woken for is not left to the recheck.
 */
final class WaitingPolls {

  /** One waiting poll; {@link #arm} before each look at the queue, {@link #await} after it. */
  final class Waiter {
    private final Set<String> loaded;
    private final Condition wake = lock.newCondition();
    private boolean woken;
    private @Nullable String wokenFor;

    private Waiter(Collection<String> loaded) {
      this.loaded = Set.copyOf(loaded);
    }

    /** Forgets an earlier wake: the look at the queue that follows sees what it was for. */
    void arm() {
      lock.lock();
      try {
        woken = false;
        wokenFor = null;
      } finally {
        lock.unlock();
      }
    }

    /** Waits up to {@code millis} unless woken since {@link #arm}. */
    void await(long millis) throws InterruptedException {
      lock.lock();
      try {
        long left = TimeUnit.MILLISECONDS.toNanos(millis);
        while (!woken && left > 0) {
          left = wake.awaitNanos(left);
        }
      } finally {
        lock.unlock();
      }
    }

    /**
     * The poll is done; {@code taken} are the bases of what it took. A wake for another base is
     * handed to the next waiting poll.
     */
    void leave(Collection<String> taken) {
      lock.lock();
      try {
        waiting.remove(this);
        if (woken && wokenFor != null && !taken.contains(wokenFor)) {
          wakeOne(wokenFor);
        }
      } finally {
        lock.unlock();
      }
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final List<Waiter> waiting = new ArrayList<>();
  private long wakeups;

  /** A poll starts waiting, its node having {@code loaded} base models loaded. */
  Waiter join(Collection<String> loaded) {
    lock.lock();
    try {
      Waiter waiter = new Waiter(loaded);
      waiting.add(waiter);
      return waiter;
    } finally {
      lock.unlock();
    }
  }

  /**
   * A generation of {@code base} was queued (null: of some base): wakes one poll not yet woken, one
   * with that base loaded first, else the one waiting longest; none when all are awake already.
   */
  void wakeOne(@Nullable String base) {
    lock.lock();
    try {
      Waiter chosen = null;
      for (Waiter waiter : waiting) {
        if (waiter.woken) {
          continue;
        }
        if (base != null && waiter.loaded.contains(base)) {
          chosen = waiter;
          break;
        }
        if (chosen == null) {
          chosen = waiter;
        }
      }
      if (chosen != null) {
        chosen.woken = true;
        chosen.wokenFor = base;
        wakeups++;
        chosen.wake.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /** How many polls were woken so far. */
  long wakeups() {
    lock.lock();
    try {
      return wakeups;
    } finally {
      lock.unlock();
    }
  }

  /** How many polls are waiting now. */
  int size() {
    lock.lock();
    try {
      return waiting.size();
    } finally {
      lock.unlock();
    }
  }
}
