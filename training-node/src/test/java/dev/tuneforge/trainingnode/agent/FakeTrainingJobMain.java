package dev.tuneforge.trainingnode.agent;

import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.JobResult;
import dev.tuneforge.protocol.TrainingSpec;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Stands in for the trainer in the child JVM: reads spec.json and an input, prints two events among
 * noise, writes the adapter and result.json, as the real child contract asks.
 */
public final class FakeTrainingJobMain {
  private FakeTrainingJobMain() {}

  public static void main(String[] args) throws Exception {
    Path jobDir = Path.of(args[0]);
    TrainingSpec spec =
        Json.MAPPER.readValue(Files.readString(jobDir.resolve("spec.json")), TrainingSpec.class);
    String data = Files.readString(jobDir.resolve("data/train.jsonl"));
    System.out.println("Loading model... (not JSON, kept as log)");
    System.out.println(
        Json.MAPPER.writeValueAsString(
            JobEvent.log("training on " + data.lines().count() + " examples")));
    System.out.println(Json.MAPPER.writeValueAsString(JobEvent.metric(1, 1, 2.5, 1e-4, 100.0, 64)));
    System.err.println("stderr line from the child");
    Path adapter = Files.createDirectories(jobDir.resolve("adapter"));
    Files.writeString(
        adapter.resolve("adapter_config.json"),
        "{\"base_model_name_or_path\":\"" + spec.baseModel() + "\"}");
    Files.write(adapter.resolve("adapter_model.safetensors"), new byte[] {1, 2, 3, 4});
    Files.writeString(
        jobDir.resolve("result.json"), Json.MAPPER.writeValueAsString(JobResult.succeeded(1, 64)));
  }
}
