package dev.tuneforge.app.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tuneforge.app.finetune.JobEventRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI's fine-tuning job event: a line of the job's log ({@code message}), or a measurement
 * ({@code metrics}, with {@code data}: the step, the training or validation loss, ...).
 */
record EventObject(
    String id,
    String object,
    @JsonProperty("created_at") long createdAt,
    String level,
    String message,
    @Nullable Map<String, Object> data,
    String type) {

  static EventObject of(JobEventRecord event) {
    Map<String, Object> data = new LinkedHashMap<>();
    put(data, "step", event.getStep());
    put(data, "total_steps", event.getTotalSteps());
    String message = event.getMessage() == null ? "" : event.getMessage();
    String type = "message";
    switch (event.getType()) {
      case METRIC -> {
        type = "metrics";
        put(data, "train_loss", event.getLoss());
        put(data, "learning_rate", event.getLearningRate());
        put(data, "tokens_per_second", event.getTokensPerSecond());
        put(data, "tokens", event.getTokens());
        message = step(event) + ": training loss=" + event.getLoss();
      }
      case VALIDATION -> {
        type = "metrics";
        put(data, "valid_loss", event.getLoss());
        message = step(event) + ": validation loss=" + event.getLoss();
      }
      case FIELD_F1 -> {
        type = "metrics";
        put(data, "field_f1", event.getLoss());
        message = step(event) + ": field F1=" + event.getLoss();
      }
      default -> {}
    }
    return new EventObject(
        OpenAiIds.EVENT + event.getId(),
        "fine_tuning.job.event",
        event.getAt().getEpochSecond(),
        message.startsWith("Failed") ? "error" : "info",
        message,
        data.isEmpty() ? null : data,
        type);
  }

  private static String step(JobEventRecord event) {
    return "Step "
        + event.getStep()
        + (event.getTotalSteps() == null ? "" : "/" + event.getTotalSteps());
  }

  private static void put(Map<String, Object> data, String key, @Nullable Object value) {
    if (value != null) {
      data.put(key, value);
    }
  }

  /** The event id inside an API event id; null when it is none. */
  static @Nullable Long parse(String id) {
    if (!id.startsWith(OpenAiIds.EVENT)) {
      return null;
    }
    try {
      return Long.parseLong(id.substring(OpenAiIds.EVENT.length()));
    } catch (NumberFormatException notAnId) {
      return null;
    }
  }
}
