package dev.tuneforge.app.dataset.tokens;

import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How much one token-length count may take: the training file's size, and its time from start to
 * end; a count over either fails with the limit named, so no tenant's dataset holds a background
 * thread for long.
 */
@ConfigurationProperties("tuneforge.token-lengths")
record TokenLengthLimits(
    @DefaultValue("2GB") DataSize maxFileSize, @DefaultValue("30m") Duration maxDuration) {

  /** Refuses a training file larger than {@link #maxFileSize}, before it is fetched. */
  void checkSize(long bytes) throws TooLarge {
    if (bytes > maxFileSize.toBytes()) {
      throw new TooLarge(
          "The training file is "
              + megabytes(bytes)
              + " MB; a token count reads at most "
              + megabytes(maxFileSize.toBytes())
              + " MB (tuneforge.token-lengths.max-file-size)");
    }
  }

  /** Stops a count that has run longer than {@link #maxDuration} since {@code started}. */
  void checkTime(Instant started, Instant now, int rowsDone, int rows) throws TooLarge {
    if (Duration.between(started, now).compareTo(maxDuration) > 0) {
      throw new TooLarge(
          "Counting stopped after "
              + rowsDone
              + " of "
              + rows
              + " rows: a token count may take "
              + maxDuration.toMinutes()
              + " min at most (tuneforge.token-lengths.max-duration)");
    }
  }

  private static String megabytes(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f", bytes / 1_048_576.0);
  }

  /** A count over one of the limits; its message names the limit. */
  static final class TooLarge extends Exception {
    TooLarge(String message) {
      super(message);
    }
  }
}
