package dev.tuneforge.trainingnode.agent;

import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.JobFolder;
import dev.tuneforge.protocol.JobResult;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A child that trains four steps and writes a checkpoint after steps 2 and 4 as the trainer does
 * (complete folder first, then the {@code checkpoint step-N} log event), then the adapter.
 */
public final class CheckpointingTrainingJobMain {
  private CheckpointingTrainingJobMain() {}

  public static void main(String[] args) throws Exception {
    Path jobDir = Path.of(args[0]);
    for (int step = 1; step <= 4; step++) {
      System.out.println(
          Json.MAPPER.writeValueAsString(
              JobEvent.metric(step, 4, 3.0 - step * 0.5, 1e-4, 100.0, step * 10L)));
      if (step % 2 == 0) {
        Path partial =
            Files.createDirectories(jobDir.resolve("checkpoints/.step-" + step + ".partial"));
        for (String file : JobFolder.LORA_CHECKPOINT_FILES) {
          Files.writeString(partial.resolve(file), file + " at step " + step);
        }
        Files.move(partial, jobDir.resolve("checkpoints/step-" + step));
        System.out.println(Json.MAPPER.writeValueAsString(JobEvent.log("checkpoint step-" + step)));
      }
      System.out.flush();
      Thread.sleep(50);
    }
    Path adapter = Files.createDirectories(jobDir.resolve("adapter"));
    Files.writeString(adapter.resolve("adapter_config.json"), "{}");
    Files.write(adapter.resolve("adapter_model.safetensors"), new byte[] {1, 2, 3, 4});
    Files.writeString(
        jobDir.resolve("result.json"), Json.MAPPER.writeValueAsString(JobResult.succeeded(4, 40)));
  }
}
