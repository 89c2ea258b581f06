package dev.tuneforge.trainingnode.train;

import dev.tuneforge.modelformat.safetensors.SafeTensors;
import dev.tuneforge.modelformat.safetensors.SafeTensorsException;
import dev.tuneforge.modelformat.safetensors.SafeTensorsFile;
import dev.tuneforge.modelformat.safetensors.Tensor;
import dev.tuneforge.protocol.JobFolder;
import dev.tuneforge.protocol.LoraSettings;
import dev.tuneforge.protocol.TrainingOptions;
import dev.tuneforge.protocol.TrainingSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checkpoint folders {@code step-{n}/} of one job: for LoRA {@code adapter_model.safetensors} and
 * {@code adapter_config.json} exactly as the final adapter (so a checkpoint is itself a usable PEFT
 * adapter), for full fine-tuning {@code model.safetensors} with every weight in fp32 under its
 * Hugging Face name; {@code optimizer.safetensors} with AdamW's moments under the weight's key plus
 * {@code .exp_avg} and {@code .exp_avg_sq}, and {@code trainer_state.json} (a {@link TrainerState}
 * stamped with the job's spec and the data's sha256). A folder appears complete or not at all: it
 * is written under another name and renamed.
 */
public final class CheckpointStore {

  static final String FIRST_MOMENT = ".exp_avg";
  static final String SECOND_MOMENT = ".exp_avg_sq";

  private static final JsonMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private final Path directory;
  private final TrainingSpec spec;
  private final String dataSha256;
  private final @Nullable String validationSha256;

  /**
   * @param directory where {@code step-{n}/} folders go
   * @param dataSha256 the training file's fingerprint, see {@link #sha256}
   * @param validationSha256 the validation file's, when there is one
   */
  public CheckpointStore(
      Path directory, TrainingSpec spec, String dataSha256, @Nullable String validationSha256) {
    this.directory = directory;
    this.spec = spec;
    this.dataSha256 = dataSha256;
    this.validationSha256 = validationSha256;
  }

  /** Writes {@code step-{n}/} and returns it; an older folder of the same name is replaced. */
  public Path write(TrainingCheckpoint checkpoint) throws IOException {
    Path target = directory.resolve(checkpoint.name());
    Path partial = directory.resolve("." + checkpoint.name() + ".partial");
    deleteTree(partial);
    String prefix;
    if (spec.fullFineTuning()) {
      Files.createDirectories(partial);
      SafeTensors.write(
          partial.resolve(JobFolder.MODEL_WEIGHTS), checkpoint.weights(), Map.of("format", "pt"));
      prefix = "";
    } else {
      PeftAdapterWriter.write(
          partial, spec.lora(), spec.baseModel(), spec.baseModelRevision(), checkpoint.weights());
      prefix = PeftAdapterWriter.KEY_PREFIX;
    }
    Map<String, Tensor> moments = new TreeMap<>();
    checkpoint
        .optimizer()
        .firstMoments()
        .forEach((name, m) -> moments.put(prefix + name + FIRST_MOMENT, m));
    checkpoint
        .optimizer()
        .secondMoments()
        .forEach((name, v) -> moments.put(prefix + name + SECOND_MOMENT, v));
    SafeTensors.write(
        partial.resolve(JobFolder.OPTIMIZER_STATE),
        moments,
        Map.of(
            "format",
            "pt",
            "optimizer",
            "AdamW",
            "step",
            Integer.toString(checkpoint.optimizer().steps())));
    TrainerState state = checkpoint.state().withJob(spec, dataSha256, validationSha256);
    Files.writeString(
        partial.resolve(JobFolder.TRAINER_STATE),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state));
    deleteTree(target);
    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  /**
   * The checkpoint to resume from under {@code resume}: the folder itself when it holds {@value
   * #JobFolder.TRAINER_STATE}, else its {@code step-{n}} folder with the highest n; null when there
   * is none.
   */
  public static @Nullable Path find(Path resume) throws IOException {
    if (Files.isRegularFile(resume.resolve(JobFolder.TRAINER_STATE))) {
      return resume;
    }
    if (!Files.isDirectory(resume)) {
      return null;
    }
    try (Stream<Path> children = Files.list(resume)) {
      return children
          .filter(
              p ->
                  JobFolder.checkpointStep(p.getFileName().toString()) >= 0
                      && Files.isRegularFile(p.resolve(JobFolder.TRAINER_STATE)))
          .max(Comparator.comparingInt(p -> JobFolder.checkpointStep(p.getFileName().toString())))
          .orElse(null);
    }
  }

  /**
   * Reads a checkpoint folder, of a full fine-tuning run when it holds {@value
   * JobFolder#MODEL_WEIGHTS}; the weight and moment maps are keyed as the model names its trainable
   * parameters.
   */
  public static TrainingCheckpoint read(Path folder) throws IOException {
    TrainerState state;
    try {
      state =
          JSON.readValue(
              Files.readString(folder.resolve(JobFolder.TRAINER_STATE)), TrainerState.class);
    } catch (JacksonException e) {
      throw new CheckpointException(
          "the checkpoint's "
              + JobFolder.TRAINER_STATE
              + " cannot be read: "
              + e.getOriginalMessage(),
          e);
    }
    try {
      Map<String, Tensor> weights = new TreeMap<>();
      Path full = folder.resolve(JobFolder.MODEL_WEIGHTS);
      SafeTensors.read(Files.isRegularFile(full) ? full : folder.resolve(JobFolder.ADAPTER_WEIGHTS))
          .tensors()
          .forEach((key, tensor) -> weights.put(withoutPrefix(key), tensor));
      Map<String, Tensor> first = new TreeMap<>();
      Map<String, Tensor> second = new TreeMap<>();
      SafeTensorsFile optimizer = SafeTensors.read(folder.resolve(JobFolder.OPTIMIZER_STATE));
      optimizer
          .tensors()
          .forEach(
              (key, tensor) -> {
                if (key.endsWith(SECOND_MOMENT)) {
                  second.put(
                      withoutPrefix(key.substring(0, key.length() - SECOND_MOMENT.length())),
                      tensor);
                } else if (key.endsWith(FIRST_MOMENT)) {
                  first.put(
                      withoutPrefix(key.substring(0, key.length() - FIRST_MOMENT.length())),
                      tensor);
                }
              });
      return new TrainingCheckpoint(
          state, weights, new AdamW.State(state.optimizerSteps(), first, second));
    } catch (SafeTensorsException e) {
      throw new CheckpointException(
          "the checkpoint "
              + JobFolder.checkpointName(state.step())
              + " is damaged: "
              + e.getMessage(),
          e);
    }
  }

  /** Refuses, naming every difference, a checkpoint of another job, spec or data. */
  public void verify(TrainingCheckpoint checkpoint) {
    TrainerState state = checkpoint.state();
    List<String> problems = new ArrayList<>();
    if (!dataSha256.equals(state.dataSha256())) {
      problems.add(
          "the training data differs (sha256 "
              + state.dataSha256()
              + " in the checkpoint, "
              + dataSha256
              + " now)");
    }
    if (!Objects.equals(validationSha256, state.validationSha256())) {
      problems.add("the validation data differs");
    }
    if (state.spec() == null) {
      problems.add("it records no training spec");
    } else {
      problems.addAll(differences("", comparable(state.spec()), comparable(spec)));
    }
    if (!problems.isEmpty()) {
      throw new CheckpointException(
          "cannot resume from " + checkpoint.name() + ": " + String.join("; ", problems));
    }
  }

  /** Hex sha256 of a file's bytes: the fingerprint a resume checks the data against. */
  public static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
        digest.update(buffer, 0, read);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The spec with defaults filled in, less the checkpoint cadence and what only measures the run
   * (evaluation, samples, the field F1 sample's size), which do not change the result.
   */
  private static JsonNode comparable(TrainingSpec spec) {
    TrainingOptions o = spec.resolvedOptions();
    TrainingOptions options =
        new TrainingOptions(
            null,
            o.schedule(),
            o.warmupRatio(),
            o.gradientAccumulation(),
            o.validationEvery(),
            o.earlyStoppingPatience(),
            o.weightDecay(),
            o.maxGradNorm(),
            null,
            null,
            null,
            o.packing(),
            null,
            o.earlyStoppingMetric(),
            null);
    // A spec from before rsLoRA existed has no useRslora; it means false.
    LoraSettings l = spec.lora();
    LoraSettings lora =
        new LoraSettings(l.r(), l.alpha(), l.dropout(), l.targetModules(), l.rslora());
    // A spec from before full fine-tuning existed has no method; it means LoRA.
    String method = spec.resolvedMethod();
    return JSON.valueToTree(
        new TrainingSpec(
            spec.jobId(), spec.baseModel(), lora, spec.hyperparameters(), options, method));
  }

  private static List<String> differences(String path, JsonNode saved, JsonNode current) {
    List<String> found = new ArrayList<>();
    if (saved.isObject() && current.isObject()) {
      List<String> names = new ArrayList<>(saved.propertyNames());
      current.propertyNames().stream().filter(n -> !names.contains(n)).forEach(names::add);
      for (String name : names) {
        found.addAll(
            differences(
                path.isEmpty() ? name : path + "." + name, saved.path(name), current.path(name)));
      }
    } else if (!saved.equals(current) && !(isAbsent(saved) && isAbsent(current))) {
      found.add(
          "spec field " + path + " differs (" + saved + " in the checkpoint, " + current + " now)");
    }
    return found;
  }

  private static boolean isAbsent(JsonNode node) {
    return node.isMissingNode() || node.isNull();
  }

  private static String withoutPrefix(String key) {
    return key.startsWith(PeftAdapterWriter.KEY_PREFIX)
        ? key.substring(PeftAdapterWriter.KEY_PREFIX.length())
        : key;
  }

  /** Removes a folder and everything in it; nothing when it does not exist. */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
