package dev.tuneforge.app.dataset.tokens;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which failed samples may be tried again: none before {@link #FIRST} has passed, then twice as
 * long after each further failure, up to {@link #LONGEST}; a success forgets the failures.
 *
 * @param <K> what a sample is of
 */
final class SamplingBackoff<K> {
  static final Duration FIRST = Duration.ofMinutes(1);
  static final Duration LONGEST = Duration.ofHours(1);

  private final Clock clock;
  private final Map<K, Failure> failed = new ConcurrentHashMap<>();

  private record Failure(Instant retryAt, Duration backoff) {}

  SamplingBackoff(Clock clock) {
    this.clock = clock;
  }

  /** Whether {@code key} may be sampled now: never failed, or its wait is over. */
  boolean mayTry(K key) {
    Failure last = failed.get(key);
    return last == null || !clock.instant().isBefore(last.retryAt());
  }

  /** Records a failure; answers how long until the next try. */
  Duration failed(K key) {
    Failure last = failed.get(key);
    Duration backoff =
        last == null
            ? FIRST
            : last.backoff().multipliedBy(2).compareTo(LONGEST) > 0
                ? LONGEST
                : last.backoff().multipliedBy(2);
    failed.put(key, new Failure(clock.instant().plus(backoff), backoff));
    return backoff;
  }

  void succeeded(K key) {
    failed.remove(key);
  }
}
