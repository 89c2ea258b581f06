package dev.tuneforge.trainingnode.jobprocess;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.tuneforge.chat.ChatDataset;
import dev.tuneforge.chat.ChatEncoder;
import dev.tuneforge.chat.Conversation;
import dev.tuneforge.chat.DatasetException;
import dev.tuneforge.chat.EncodedExample;
import dev.tuneforge.chat.ModelFileException;
import dev.tuneforge.chat.PreferenceDataset;
import dev.tuneforge.modelformat.ModelConfig;
import dev.tuneforge.modelformat.UnsupportedModelException;
import dev.tuneforge.modelformat.safetensors.SafeTensorsException;
import dev.tuneforge.protocol.Hyperparameters;
import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.JobFolder;
import dev.tuneforge.protocol.JobResult;
import dev.tuneforge.protocol.TrainingOptions;
import dev.tuneforge.protocol.TrainingSpec;
import dev.tuneforge.trainingnode.evaluate.EvaluationSet;
import dev.tuneforge.trainingnode.evaluate.FieldF1Sample;
import dev.tuneforge.trainingnode.evaluate.JobEvaluation;
import dev.tuneforge.trainingnode.evaluate.ModelComparison;
import dev.tuneforge.trainingnode.evaluate.PreferenceEvaluation;
import dev.tuneforge.trainingnode.evaluate.RetentionCheck;
import dev.tuneforge.trainingnode.evaluate.ValidationSamples;
import dev.tuneforge.trainingnode.export.MergedModelExport;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.train.CheckpointException;
import dev.tuneforge.trainingnode.train.CheckpointStore;
import dev.tuneforge.trainingnode.train.EncodedPairs;
import dev.tuneforge.trainingnode.train.LearningRateSchedule;
import dev.tuneforge.trainingnode.train.PeftAdapterWriter;
import dev.tuneforge.trainingnode.train.Trainer;
import dev.tuneforge.trainingnode.train.TrainingCheckpoint;
import dev.tuneforge.trainingnode.train.TrainingFailedException;
import dev.tuneforge.trainingnode.train.TrainingSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Entry point of the child JVM that runs one training job; one job per JVM because DJL allows one
 * GradientCollector per process.
 *
 * <p>{@code args[0]} is the job directory holding {@code spec.json} (a {@link TrainingSpec}),
 * {@code data/train.jsonl}, optionally {@code data/validation.jsonl}, and the base model under
 * {@code model/}. Every {@link JobEvent} goes to stdout as one JSON line and nothing else does
 * (logging goes to stderr). Every {@code checkpointEvery} steps and at the end it writes a
 * checkpoint folder {@code checkpoints/step-{n}/} (see {@link CheckpointStore}) and then prints the
 * log event {@code checkpoint step-{n}}, the agent's cue to upload it. When {@code resume/} holds a
 * checkpoint (its files, or {@code step-{n}/} folders of which the highest counts), the run
 * continues from it after checking that data and spec are the same, and logs {@code resumed from
 * step N}. Each time it measures the validation loss, the model so far answers the first {@code
 * samplesPerValidation} validation prompts ({@code sample} events). On the way out it writes the
 * adapter to {@code adapter/} (for full fine-tuning, the whole tuned model in Hugging Face layout
 * to {@code tuned-model/}: {@code model.safetensors} in fp32 and the base's other files), then,
 * when {@code evaluationExamples} is above 0 and the job has {@code data/evaluation.jsonl} or
 * {@code data/validation.jsonl}, compares the base and the tuned model on it ({@link
 * JobEvaluation}: {@code evaluation/generations.jsonl} and {@code evaluation/summary.json}, never
 * failing the job), and writes a {@link JobResult} to {@code result.json}. A file {@code stop} in
 * the job directory (its text is the reason) asks the run to stop: after the step in progress it
 * writes that step's checkpoint, skips adapter and evaluation and reports {@code stopped}; a stop
 * that comes during the evaluation cuts it short instead. It exits 0 when the job succeeded or
 * stopped, 1 when it failed; a failure (bad data, NaN loss, out of memory) leaves the checkpoints
 * written so far in place.
 */
public final class TrainingJobMain {

  static final JsonMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private final Path jobDirectory;
  private final PrintStream events;
  private final Map<String, String> env;
  private @Nullable String memoryFigures;
  private String deviceDescription = "cpu";
  private int steps;
  private long tokens;
  private @Nullable String lastCheckpoint;

  /** A DPO job's pairs (its examples are their chosen answers) and how to encode held-out ones. */
  private @Nullable EncodedPairs pairs;

  private @Nullable ChatEncoder encoder;

  private TrainingJobMain(Path jobDirectory, PrintStream events, Map<String, String> env) {
    this.jobDirectory = jobDirectory;
    this.events = events;
    this.env = env;
  }

  public static void main(String[] args) {
    PrintStream events = System.out;
    // Libraries that print to System.out would corrupt the event stream.
    System.setOut(System.err);
    if (args.length != 1) {
      System.err.println("usage: TrainingJobMain <job directory>");
      System.exit(2);
    }
    System.exit(run(Path.of(args[0]), events).status() == JobResult.Status.FAILED ? 1 : 0);
  }

  /** Runs the job in this JVM, writing events to {@code events}; also writes result.json. */
  public static JobResult run(Path jobDirectory, PrintStream events) {
    return run(jobDirectory, events, System.getenv());
  }

  /**
   * As {@link #run(Path, PrintStream)}, with the device settings ({@link TrainingDevice}) read from
   * {@code env}.
   */
  public static JobResult run(Path jobDirectory, PrintStream events, Map<String, String> env) {
    return new TrainingJobMain(jobDirectory, events, env).run();
  }

  private JobResult run() {
    JobResult result;
    try {
      String stopReason = train();
      result =
          stopReason == null
              ? JobResult.succeeded(steps, tokens)
              : JobResult.stopped(stopReason, steps, tokens);
    } catch (DatasetException
        | UnsupportedModelException
        | ModelFileException
        | SafeTensorsException
        | TrainingFailedException
        | CheckpointException
        | TrainingDevice.DeviceUnavailableException e) {
      result = failed(withMemoryFigures(e.getMessage()));
    } catch (IllegalArgumentException e) {
      result = failed("invalid settings: " + e.getMessage());
    } catch (OutOfMemoryError e) {
      result =
          failed(
              withMemoryFigures("out of memory after step " + steps + " (" + e.getMessage() + ")"));
    } catch (EngineException e) {
      e.printStackTrace();
      boolean memory = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("memory");
      result =
          failed(
              memory
                  ? withMemoryFigures("out of memory after step " + steps + ": " + e.getMessage())
                  : "internal error: " + e.getMessage());
    } catch (Exception | LinkageError e) {
      e.printStackTrace();
      result = failed("internal error: " + e);
    }
    if (result.reason() != null) {
      emit(JobEvent.log("failed: " + result.reason()));
    }
    try {
      writeResult(jobDirectory, result);
    } catch (IOException e) {
      e.printStackTrace();
      return JobResult.failed(
          "could not write " + JobFolder.RESULT + ": " + e.getMessage(), steps, tokens);
    }
    return result;
  }

  /** An out-of-memory reason gets the estimate and the device's memory, once they are known. */
  private @Nullable String withMemoryFigures(@Nullable String reason) {
    boolean memory = reason != null && reason.toLowerCase(Locale.ROOT).contains("out of memory");
    return memory && memoryFigures != null ? reason + "; " + memoryFigures : reason;
  }

  /**
   * Writes {@value JobFolder#RESULT} whole or not at all, so the agent never reads half a result.
   */
  public static void writeResult(Path jobDirectory, JobResult result) throws IOException {
    Path temporary = jobDirectory.resolve(JobFolder.RESULT + ".tmp");
    Files.writeString(temporary, JSON.writeValueAsString(result));
    Files.move(
        temporary,
        jobDirectory.resolve(JobFolder.RESULT),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  /** A failed result whose reason also names the checkpoint that stays behind. */
  private JobResult failed(@Nullable String reason) {
    String kept =
        lastCheckpoint == null ? "" : "; the last checkpoint, " + lastCheckpoint + ", is kept";
    return JobResult.failed(reason + kept, steps, tokens);
  }

  /**
   * Trains, writes the adapter and evaluates; returns the reason when a stop request ended the run.
   */
  private @Nullable String train() throws IOException {
    TrainingSpec spec = readSpec();
    Hyperparameters hyper = spec.hyperparameters();
    TrainingOptions options = spec.resolvedOptions();
    Path modelDirectory = jobDirectory.resolve(JobFolder.BASE_MODEL);
    // An unsupported model is refused before any time goes into tokenizing.
    ModelConfig.read(modelDirectory.resolve("config.json"));
    System.setProperty("ai.djl.default_engine", "PyTorch");
    Engine engine = Engine.getEngine("PyTorch");
    engine.setRandomSeed((int) hyper.seed());

    Path validationFile = jobDirectory.resolve(JobFolder.VALIDATION_DATA);
    try (HuggingFaceTokenizer tokenizer = ChatEncoder.loadTokenizer(modelDirectory)) {
      List<EncodedExample> examples;
      List<Conversation> validationConversations = List.of();
      List<EncodedExample> validation = List.of();
      ChatEncoder encoder =
          ChatEncoder.forModel(modelDirectory, tokenizer, hyper.maxSequenceLength());
      this.encoder = encoder;
      long padId = ChatEncoder.padTokenId(modelDirectory, tokenizer);
      if (spec.preferencePairs()) {
        pairs = encodePairs(jobDirectory.resolve(JobFolder.TRAINING_DATA), encoder, hyper);
        return train(spec, tokenizer, pairs.chosen(), padId, List.of(), List.of());
      }
      List<Conversation> conversations =
          ChatDataset.read(jobDirectory.resolve(JobFolder.TRAINING_DATA));
      List<EncodedExample> encoded = encoder.encodeAll(conversations);
      examples = encoded.stream().filter(e -> e.trainableTokens() > 0).toList();
      long truncated = encoded.stream().filter(EncodedExample::truncated).count();
      if (examples.isEmpty()) {
        throw new DatasetException(
            "no example keeps an assistant token within maxSequenceLength "
                + hyper.maxSequenceLength());
      }
      emit(
          JobEvent.log(
              encoded.size()
                  + " examples, "
                  + truncated
                  + " truncated to "
                  + hyper.maxSequenceLength()
                  + " tokens; "
                  + (encoded.size() - examples.size())
                  + " of "
                  + encoded.size()
                  + " rows have no assistant tokens left after truncation at "
                  + hyper.maxSequenceLength()
                  + " and were skipped"));
      if (Files.isRegularFile(validationFile)) {
        validationConversations = readValidation(validationFile);
        validation = encodeValidation(validationConversations, encoder);
        emit(JobEvent.log(validation.size() + " validation examples"));
      }
      return train(spec, tokenizer, examples, padId, validationConversations, validation);
    }
  }

  private @Nullable String train(
      TrainingSpec spec,
      HuggingFaceTokenizer tokenizer,
      List<EncodedExample> examples,
      long padId,
      List<Conversation> validationConversations,
      List<EncodedExample> validation)
      throws IOException {
    Hyperparameters hyper = spec.hyperparameters();
    TrainingOptions options = spec.resolvedOptions();
    Path modelDirectory = jobDirectory.resolve(JobFolder.BASE_MODEL);
    Path validationFile = jobDirectory.resolve(JobFolder.VALIDATION_DATA);
    Engine engine = Engine.getEngine("PyTorch");
    CheckpointStore store =
        new CheckpointStore(
            jobDirectory.resolve(JobFolder.CHECKPOINTS),
            spec,
            CheckpointStore.sha256(jobDirectory.resolve(JobFolder.TRAINING_DATA)),
            Files.isRegularFile(validationFile) ? CheckpointStore.sha256(validationFile) : null);
    TrainingCheckpoint resume = null;
    Path resumeFolder = CheckpointStore.find(jobDirectory.resolve(JobFolder.RESUME));
    if (resumeFolder != null) {
      resume = CheckpointStore.read(resumeFolder);
      store.verify(resume);
    }
    TrainingCheckpoint continued = null;
    Path continueFolder = jobDirectory.resolve(JobFolder.CONTINUE);
    if (Files.isRegularFile(continueFolder.resolve(JobFolder.TRAINER_STATE))) {
      continued = CheckpointStore.read(continueFolder);
    }

    boolean full = spec.fullFineTuning();
    TrainingDevice device = TrainingDevice.resolve(env, engine);
    MemoryWatch memory =
        MemoryWatch.forJob(spec, ModelConfig.read(modelDirectory.resolve("config.json")), device);
    memoryFigures = memory.figures();
    deviceDescription = device.description();
    emit(JobEvent.log("training on " + device.description() + "; " + memoryFigures));
    try (LlamaModel model = loadModel(spec, modelDirectory, device.device())) {
      ModelConfig config = model.config();
      emit(
          JobEvent.log(
              "loaded model "
                  + spec.baseModel()
                  + " ("
                  + config.architectures().getFirst()
                  + ", "
                  + config.numHiddenLayers()
                  + " layers, hidden "
                  + config.hiddenSize()
                  + ", vocab "
                  + config.vocabSize()
                  + ") on "
                  + engine.getEngineName()
                  + " "
                  + engine.getVersion()
                  + "; "
                  + model.trainableParameterCount()
                  + (full
                      ? " trainable parameters: full fine-tuning, every weight"
                      : " trainable LoRA parameters")
                  + (model.quantizedBase() ? " over an NF4 base (QLoRA)" : "")));
      Trainer.Builder builder =
          Trainer.builder()
              .setModel(model)
              .setExamples(examples, padId)
              .optEpochs(hyper.epochs())
              .optBatchSize(hyper.batchSize())
              .optGradientAccumulation(options.gradientAccumulation())
              .optLearningRate(hyper.learningRate())
              .optDecay(LearningRateSchedule.Decay.parse(options.schedule()))
              .optWarmupRatio(options.warmupRatio())
              .optWeightDecay(options.weightDecay())
              .optMaxGradNorm(options.maxGradNorm())
              .optMaxSteps(hyper.maxSteps())
              .optSeed(hyper.seed())
              .optPacking(Boolean.TRUE.equals(options.packing()) ? hyper.maxSequenceLength() : 0)
              .optValidation(validation, options.validationEvery(), options.earlyStoppingPatience())
              .optCheckpoints(
                  options.checkpointEvery(),
                  checkpoint -> {
                    store.write(checkpoint);
                    lastCheckpoint = checkpoint.name();
                    emit(JobEvent.log("checkpoint " + checkpoint.name()));
                  })
              .optStopRequest(this::stopRequested)
              .optListener(
                  event -> {
                    if (event.type() == JobEvent.Type.METRIC) {
                      steps = event.step() == null ? steps : event.step();
                      tokens = event.tokens() == null ? tokens : event.tokens();
                    }
                    emit(event);
                    if (event.type() == JobEvent.Type.METRIC) {
                      memory.check(steps);
                    }
                  });
      if (!validationConversations.isEmpty() && options.samplesPerValidation() > 0) {
        builder.optSamples(
            ValidationSamples.of(
                model,
                tokenizer,
                modelDirectory,
                validationConversations,
                options.samplesPerValidation(),
                options.evaluationMaxNewTokens()));
      }
      FieldF1Sample fieldF1 =
          FieldF1Sample.of(
              model,
              tokenizer,
              modelDirectory,
              validationConversations,
              options.fieldF1Examples(),
              hyper.seed(),
              options.evaluationMaxNewTokens(),
              // One batch: the decode loop's steps, not the rows, set the time on a CPU.
              options.fieldF1Examples());
      if (fieldF1 != null) {
        builder.optFieldF1(fieldF1, options.stopsOnFieldF1());
        emit(
            JobEvent.log(
                "field F1 on validation examples "
                    + fieldF1.indices()
                    + " each time the validation loss is measured"));
      } else if (options.stopsOnFieldF1()
          && options.earlyStoppingPatience() > 0
          && !validationConversations.isEmpty()) {
        throw new DatasetException(
            "early stopping on field F1 needs a validation set whose every expected answer is a"
                + " JSON object");
      }
      if (resume != null) {
        builder.optResumeFrom(resume);
      }
      String optimizerDifference = null;
      if (continued != null) {
        optimizerDifference = ContinuedRun.optimizerDifference(continued.state(), spec);
        builder.optContinueFrom(continued, optimizerDifference == null);
      }
      if (pairs != null) {
        builder.optPreferencePairs(pairs.rejected(), spec.resolvedPreference());
      }
      Trainer trainer = builder.build();
      emit(
          JobEvent.log(
              examples.size()
                  + " examples, "
                  + trainer.totalSteps()
                  + " steps"
                  + (Boolean.TRUE.equals(options.packing())
                      ? ", packed into rows of " + hyper.maxSequenceLength() + " tokens"
                      : "")
                  + (!full && spec.lora().rslora()
                      ? ", rsLoRA scale " + spec.lora().scale()
                      : "")));
      if (continued != null && resume == null) {
        steps = continued.state().step();
        emit(JobEvent.log(ContinuedRun.describe(continued.state(), optimizerDifference)));
      }
      if (resume != null) {
        steps = resume.state().step();
        tokens = resume.state().trainedTokens();
        lastCheckpoint = resume.name();
        emit(JobEvent.log("resumed from step " + steps));
      }
      TrainingSummary summary = trainer.train();
      if (summary.stoppedEarly()) {
        emit(JobEvent.log("stopped early after step " + summary.steps()));
      }
      steps = summary.steps();
      tokens = summary.trainedTokens();
      if (summary.stopReason() != null) {
        emit(
            JobEvent.log(
                "stopped after step "
                    + steps
                    + " ("
                    + summary.stopReason()
                    + "); checkpoint "
                    + lastCheckpoint
                    + " is where it resumes"));
        return summary.stopReason();
      }
      if (full) {
        writeTunedModel(modelDirectory, model);
        emit(
            JobEvent.log("wrote the tuned model after " + steps + " steps, " + tokens + " tokens"));
      } else {
        PeftAdapterWriter.write(
            jobDirectory.resolve(JobFolder.ADAPTER),
            spec.lora(),
            spec.baseModel(),
            spec.baseModelRevision(),
            model.exportLora());
        emit(JobEvent.log("wrote adapter after " + steps + " steps, " + tokens + " tokens"));
      }
      Path evaluationSet = EvaluationSet.find(jobDirectory);
      if (options.evaluationExamples() > 0 && evaluationSet != null && pairs != null) {
        PreferenceEvaluation.run(
            jobDirectory,
            model,
            encodePairs(evaluationSet, Objects.requireNonNull(encoder), hyper),
            options.evaluationExamples(),
            hyper.batchSize(),
            padId,
            this::emit);
      } else if (options.evaluationExamples() > 0 && evaluationSet != null) {
        evaluate(spec, model, tokenizer, evaluationSet);
      }
      return null;
    }
  }

  /**
   * One fp32 {@code model.safetensors}, however large, so that the app knows the file names to ask
   * for.
   */
  private void writeTunedModel(Path modelDirectory, LlamaModel model) throws IOException {
    Path output = jobDirectory.resolve(JobFolder.TUNED_MODEL);
    if (Files.isDirectory(output)) {
      try (var old = Files.walk(output)) {
        for (Path path : old.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
    MergedModelExport.builder()
        .setModel(modelDirectory)
        .setTrainedWeights(model.exportTrainable())
        .setOutput(output)
        .optMaxShardBytes(Long.MAX_VALUE)
        .build()
        .write();
  }

  /**
   * Base against tuned. A full fine-tune changed the weights in place, so its base side is the
   * original model loaded again from {@code model/}, only now that the optimiser's moments are
   * freed, and closed right after.
   */
  private void evaluate(
      TrainingSpec spec, LlamaModel model, HuggingFaceTokenizer tokenizer, Path evaluationSet)
      throws IOException {
    Hyperparameters hyper = spec.hyperparameters();
    TrainingOptions options = spec.resolvedOptions();
    Path modelDirectory = jobDirectory.resolve(JobFolder.BASE_MODEL);
    try (@Nullable LlamaModel base =
        spec.fullFineTuning() ? LlamaModel.loadFrozen(modelDirectory, model.device()) : null) {
      ModelComparison.Builder comparison =
          ModelComparison.builder()
              .setModel(model)
              .setTokenizer(tokenizer)
              .setModelDirectory(modelDirectory)
              .optMaxNewTokens(options.evaluationMaxNewTokens())
              .optBatchSize(hyper.batchSize())
              .optMaxSequenceLength(hyper.maxSequenceLength())
              .optStopRequest(this::stopRequested);
      if (base != null) {
        comparison.optBaseModel(base);
      }
      JobEvaluation.run(
          jobDirectory,
          evaluationSet,
          options.evaluationExamples(),
          comparison,
          deviceDescription,
          this::emit);
      RetentionCheck.run(jobDirectory, options, comparison, this::emit);
    }
  }

  /**
   * The model as the method trains it. QLoRA quantises the base from the model files at every
   * start, deterministically, so a resumed run trains over the same NF4 base.
   */
  private static LlamaModel loadModel(TrainingSpec spec, Path modelDirectory, Device device)
      throws IOException {
    long seed = spec.hyperparameters().seed();
    if (spec.fullFineTuning()) {
      return LlamaModel.loadForFullFineTuning(modelDirectory, device);
    }
    return spec.quantizedBase()
        ? LlamaModel.loadQuantized(modelDirectory, spec.lora(), seed, device)
        : LlamaModel.load(modelDirectory, spec.lora(), seed, device);
  }

  /** The reason in the {@code stop} file the agent writes when the app asks the job to stop. */
  private @Nullable String stopRequested() {
    Path file = jobDirectory.resolve(JobFolder.STOP);
    if (!Files.exists(file)) {
      return null;
    }
    try {
      String reason = Files.readString(file).strip();
      return reason.isEmpty() ? "stop requested" : reason;
    } catch (IOException e) {
      return "stop requested";
    }
  }

  /** A file of preference pairs, encoded; refused when no pair keeps both answers. */
  private EncodedPairs encodePairs(Path file, ChatEncoder encoder, Hyperparameters hyper)
      throws IOException {
    EncodedPairs encoded;
    try {
      encoded = EncodedPairs.encode(PreferenceDataset.read(file), encoder);
    } catch (DatasetException e) {
      throw new DatasetException(file.getFileName() + ": " + e.getMessage());
    }
    if (encoded.size() == 0) {
      throw new DatasetException(
          file.getFileName()
              + ": no preference pair keeps a token of both answers within maxSequenceLength "
              + hyper.maxSequenceLength());
    }
    emit(
        JobEvent.log(
            file.getFileName()
                + ": "
                + encoded.size()
                + " preference pairs, "
                + encoded.truncated()
                + " truncated to "
                + hyper.maxSequenceLength()
                + " tokens, "
                + encoded.leftOut()
                + " left out for lack of answer tokens"));
    return encoded;
  }

  private static List<Conversation> readValidation(Path file) throws IOException {
    try {
      return ChatDataset.read(file);
    } catch (DatasetException e) {
      throw new DatasetException("validation set: " + e.getMessage());
    }
  }

  private static List<EncodedExample> encodeValidation(
      List<Conversation> conversations, ChatEncoder encoder) {
    List<EncodedExample> examples =
        encoder.encodeAll(conversations).stream().filter(e -> e.trainableTokens() > 0).toList();
    if (examples.isEmpty()) {
      throw new DatasetException(
          "validation set: no example keeps an assistant token within maxSequenceLength");
    }
    return examples;
  }

  private TrainingSpec readSpec() throws IOException {
    TrainingSpec spec;
    try {
      spec =
          JSON.readValue(
              Files.readString(jobDirectory.resolve(JobFolder.SPEC)), TrainingSpec.class);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          JobFolder.SPEC + " is not a valid training spec: " + e.getOriginalMessage());
    }
    if ((spec.lora() == null && !spec.fullFineTuning()) || spec.hyperparameters() == null) {
      throw new IllegalArgumentException(
          JobFolder.SPEC + " needs lora (for a LoRA run) and hyperparameters");
    }
    return spec;
  }

  private void emit(JobEvent event) {
    events.println(JSON.writeValueAsString(event));
    events.flush();
  }
}
