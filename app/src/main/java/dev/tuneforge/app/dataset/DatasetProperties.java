package dev.tuneforge.app.dataset;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Upload limits.
 *
 * @param maxUploadBytes the largest file (training or validation) a member may upload
 * @param abandonedUploadAge how long a browser upload may stay unfinished before the clean-up
 *     aborts it and deletes what it staged
 */
@ConfigurationProperties("tuneforge.datasets")
public record DatasetProperties(
    @DefaultValue("2147483648") long maxUploadBytes,
    @DefaultValue("24h") Duration abandonedUploadAge) {

  /** Refuses {@code fileName} of {@code size} bytes when it is over {@link #maxUploadBytes}. */
  public void checkUploadSize(String fileName, long size) {
    if (size > maxUploadBytes) {
      throw DatasetRejected.because(
          fileName
              + " is "
              + megabytes(size)
              + " MB; the limit is "
              + megabytes(maxUploadBytes)
              + " MB");
    }
  }

  private static String megabytes(long bytes) {
    return String.format("%.1f", bytes / 1_048_576.0);
  }
}
