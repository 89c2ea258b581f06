package dev.tuneforge.protocol;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A DPO step's rewards as TRL names them: the mean implicit reward {@code β·(logπ − logπref)} of
 * the chosen and of the rejected answers, their mean margin, and the share of pairs whose chosen
 * answer has the higher reward. A {@code metric} event carries them as its message ({@link
 * #message()}), so they travel and are stored as every metric is.
 */
public record PreferenceMetrics(
    double chosenReward, double rejectedReward, double margin, double accuracy) {

  private static final Pattern MESSAGE =
      Pattern.compile(
          "rewards/chosen (\\S+), rewards/rejected (\\S+), rewards/margins (\\S+),"
              + " rewards/accuracies (\\S+)");

  /** The metric event's message. */
  public String message() {
    return String.format(
        Locale.ROOT,
        "rewards/chosen %.6g, rewards/rejected %.6g, rewards/margins %.6g, rewards/accuracies %.4f",
        chosenReward,
        rejectedReward,
        margin,
        accuracy);
  }

  /** The metrics a metric event's message holds; null for any other message. */
  public static @Nullable PreferenceMetrics parse(@Nullable String message) {
    if (message == null) {
      return null;
    }
    Matcher m = MESSAGE.matcher(message);
    if (!m.matches()) {
      return null;
    }
    try {
      return new PreferenceMetrics(
          Double.parseDouble(m.group(1)),
          Double.parseDouble(m.group(2)),
          Double.parseDouble(m.group(3)),
          Double.parseDouble(m.group(4)));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
