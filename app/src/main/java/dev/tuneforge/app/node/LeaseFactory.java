package dev.tuneforge.app.node;

import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.export.MergedExport;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.app.tenancy.TenantContext;
import dev.tuneforge.protocol.Hyperparameters;
import dev.tuneforge.protocol.JobFolder;
import dev.tuneforge.protocol.Lease;
import dev.tuneforge.protocol.LoraSettings;
import dev.tuneforge.protocol.PreferenceSettings;
import dev.tuneforge.protocol.TrainingOptions;
import dev.tuneforge.protocol.TrainingSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Turns a started job into the lease a node receives: the spec and presigned URLs for exactly this
 * job's dataset, base model, last checkpoint (as {@code resume/…}), the checkpoint of the job it
 * continues from (as {@code continue/…}), evaluation set, adapter (for a full fine-tune: the whole
 * tuned model, {@code tuned-model/…}) and evaluation outputs; and signs the uploads of the job's
 * checkpoints. Validation loss (and a generated sample) is measured at every checkpoint.
 *
 * <p>Every URL of a lease, download or upload, is valid for a lease's duration plus {@code
 * tuneforge.nodes.url-slack} from when it is signed ({@link NodeProperties#urlValidity()}). A node
 * asks for fresh ones while it holds the lease ({@link #inputDownloads}, {@link #outputUploads},
 * {@link #checkpointUploads}), so one that lost its lease can, once its URLs ran out, neither read
 * the job's inputs nor overwrite what the job's next node or its result wrote.
 */
@Component
class LeaseFactory {
  /**
   * The files of a model folder a node downloads besides the weights: those the trainer reads
   * (config, generation config, {@code tokenizer.json}, {@code tokenizer_config.json}, the chat
   * template) and the rest of a Hugging Face tokenizer, which a full fine-tune's model carries on.
   */
  private static final Set<String> TRAINER_FILES =
      Set.of(
          "config.json",
          "generation_config.json",
          "chat_template.jinja",
          "tokenizer.json",
          "tokenizer_config.json",
          "special_tokens_map.json",
          "added_tokens.json",
          "vocab.json",
          "merges.txt",
          "tokenizer.model");

  private final CatalogService catalog;
  private final DatasetService datasets;
  private final ObjectStorage storage;
  private final FineTuneService fineTunes;
  private final NodeProperties properties;

  LeaseFactory(
      CatalogService catalog,
      DatasetService datasets,
      ObjectStorage storage,
      FineTuneService fineTunes,
      NodeProperties properties) {
    this.catalog = catalog;
    this.datasets = datasets;
    this.storage = storage;
    this.fineTunes = fineTunes;
    this.properties = properties;
  }

  Lease build(FineTuneJob job, Instant expiresAt) {
    return TenantContext.callAs(
        job.getTenantId(),
        () -> {
          BaseModel model = catalog.find(job.getBaseModelId()).orElseThrow();
          boolean evaluate = evaluates(job);
          Map<String, String> inputs = inputs(job, model, evaluate);
          Map<String, String> outputs = outputs(job, model, evaluate);
          TrainingSpec spec = spec(job, model, trainingOptions(job, evaluate));
          return new Lease(
              Objects.requireNonNullElseGet(job.getLeaseId(), UUID::randomUUID),
              job.getId(),
              expiresAt,
              spec,
              inputs,
              outputs);
        });
  }

  /**
   * Fresh GET URLs for the inputs of the lease of {@code job}, as {@link #build} signed them, each
   * valid for about a lease: a node whose first URLs ran out before it had read every input asks
   * for these.
   */
  Map<String, String> inputDownloads(FineTuneJob job) {
    return TenantContext.callAs(
        job.getTenantId(),
        () -> inputs(job, catalog.find(job.getBaseModelId()).orElseThrow(), evaluates(job)));
  }

  /** Whether the job's lease evaluates: it asks for examples and has a set to take them from. */
  private boolean evaluates(FineTuneJob job) {
    return job.getEvaluationExamples() > 0
        && (job.getEvaluationDatasetVersionId() != null
            || datasets.validationFileKey(job.getDatasetVersionId()).isPresent());
  }

  private Map<String, String> inputs(FineTuneJob job, BaseModel model, boolean evaluate) {
    String datasetKey = datasets.trainingFileKey(job.getDatasetVersionId()).orElseThrow();
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put(JobFolder.TRAINING_DATA, download(datasetKey));
    inputs.putAll(modelInputs(model));
    Integer checkpoint = job.getLastCheckpointStep();
    if (checkpoint != null) {
      String prefix = ObjectKeys.jobCheckpoint(job.getTenantId(), job.getId(), checkpoint);
      for (String file : checkpointFiles(job)) {
        inputs.put(JobFolder.RESUME + file, download(prefix + file));
      }
    }
    UUID source = job.getContinuedFromJobId();
    Integer sourceStep = job.getContinuedFromStep();
    if (source != null && sourceStep != null) {
      String prefix = ObjectKeys.jobCheckpoint(job.getTenantId(), source, sourceStep);
      for (String file : checkpointFiles(job)) {
        inputs.put(JobFolder.CONTINUE + file, download(prefix + file));
      }
    }
    datasets
        .validationFileKey(job.getDatasetVersionId())
        .ifPresent(key -> inputs.put(JobFolder.VALIDATION_DATA, download(key)));
    if (job.getEvaluationExamples() > 0 && job.getEvaluationDatasetVersionId() != null) {
      String heldOut = datasets.trainingFileKey(job.getEvaluationDatasetVersionId()).orElseThrow();
      inputs.put(JobFolder.EVALUATION_DATA, download(heldOut));
    }
    if (evaluate && job.getRetentionDatasetVersionId() != null) {
      String retention = datasets.trainingFileKey(job.getRetentionDatasetVersionId()).orElseThrow();
      inputs.put(JobFolder.RETENTION_DATA, download(retention));
    }
    return inputs;
  }

  /**
   * Fresh PUT URLs for the outputs of the lease of {@code job}, as {@link #build} signed them, each
   * valid for about a lease.
   */
  Map<String, String> outputUploads(FineTuneJob job) {
    return TenantContext.callAs(
        job.getTenantId(),
        () -> {
          BaseModel model = catalog.find(job.getBaseModelId()).orElseThrow();
          return outputs(job, model, evaluates(job));
        });
  }

  private Map<String, String> outputs(FineTuneJob job, BaseModel model, boolean evaluate) {
    Map<String, String> outputs = new LinkedHashMap<>();
    if (job.isFullFineTuning()) {
      String modelPrefix = ObjectKeys.jobModel(job.getTenantId(), job.getId(), job.getLeaseId());
      for (String file : tunedModelFiles(catalog.files(model))) {
        outputs.put(JobFolder.TUNED_MODEL + file, upload(modelPrefix + file));
      }
    } else {
      String adapterPrefix =
          ObjectKeys.jobAdapter(job.getTenantId(), job.getId(), job.getLeaseId());
      for (String file : JobFolder.ADAPTER_FILES) {
        outputs.put(JobFolder.ADAPTER + file, upload(adapterPrefix + file));
      }
    }
    if (evaluate) {
      String evaluationPrefix =
          ObjectKeys.jobEvaluation(job.getTenantId(), job.getId(), job.getLeaseId());
      for (String file : JobFolder.EVALUATION_FILES) {
        outputs.put(JobFolder.EVALUATION + file, upload(evaluationPrefix + file));
      }
      if (job.getRetention() != null) {
        outputs.put(
            JobFolder.EVALUATION + JobFolder.RETENTION,
            upload(evaluationPrefix + JobFolder.RETENTION));
      }
    }
    return outputs;
  }

  private String upload(String key) {
    return storage.presignPut(key, properties.urlValidity());
  }

  private String download(String key) {
    return storage.presignGet(key, properties.urlValidity());
  }

  /**
   * The lease of a merge: the job's spec, the base model's files and the job's adapter in; the
   * merged files go out through URLs the node asks for once it knows their names ({@link
   * #mergedUploads}), as the number of shards depends on the merge.
   */
  Lease buildMerge(MergedExport merge, Instant expiresAt) {
    return TenantContext.callAs(
        merge.getTenantId(),
        () -> {
          FineTuneJob job = fineTunes.find(merge.getJobId()).orElseThrow();
          BaseModel model = catalog.find(job.getBaseModelId()).orElseThrow();
          Map<String, String> inputs = mergeInputs(job, model);
          return new Lease(
              Objects.requireNonNullElseGet(merge.getLeaseId(), UUID::randomUUID),
              merge.getId(),
              expiresAt,
              spec(job, model, null),
              inputs,
              Map.of(),
              Lease.MERGE,
              properties.mergeMaxShardSize().toBytes());
        });
  }

  /**
   * Fresh GET URLs for the inputs of the lease of {@code merge}, as {@link #buildMerge} signed
   * them.
   */
  Map<String, String> mergeInputDownloads(MergedExport merge) {
    return TenantContext.callAs(
        merge.getTenantId(),
        () -> {
          FineTuneJob job = fineTunes.find(merge.getJobId()).orElseThrow();
          return mergeInputs(job, catalog.find(job.getBaseModelId()).orElseThrow());
        });
  }

  private Map<String, String> mergeInputs(FineTuneJob job, BaseModel model) {
    Map<String, String> inputs = modelInputs(model);
    String adapterPrefix = ObjectKeys.jobAdapter(job.getTenantId(), job.getId(), job.getLeaseId());
    for (String file : JobFolder.ADAPTER_FILES) {
      inputs.put(JobFolder.ADAPTER + file, download(adapterPrefix + file));
    }
    return inputs;
  }

  /** PUT URLs for the named files of the job's merged model. */
  Map<String, String> mergedUploads(MergedExport merge, List<String> files) {
    String prefix = ObjectKeys.jobMerged(merge.getTenantId(), merge.getJobId(), merge.getLeaseId());
    Map<String, String> urls = new LinkedHashMap<>();
    for (String file : files) {
      urls.put(file, upload(prefix + file));
    }
    return urls;
  }

  private Map<String, String> modelInputs(BaseModel model) {
    Map<String, String> inputs = new LinkedHashMap<>();
    for (String file : trainerFiles(catalog.files(model))) {
      inputs.put(JobFolder.BASE_MODEL + file, download(model.getObjectPrefix() + file));
    }
    return inputs;
  }

  private static TrainingSpec spec(
      FineTuneJob job, BaseModel model, @Nullable TrainingOptions options) {
    return new TrainingSpec(
        job.getId().toString(),
        model.getName(),
        new LoraSettings(
            job.getLoraR(),
            job.getLoraAlpha(),
            job.getLoraDropout(),
            job.getTargetModules(),
            job.isUseRslora()),
        new Hyperparameters(
            job.getEpochs(),
            job.getLearningRate(),
            job.getBatchSize(),
            job.getMaxSeqLength(),
            job.getSeed(),
            job.getMaxSteps()),
        options,
        // LoRA leases name no method, as before full fine-tuning existed.
        TrainingSpec.LORA.equals(job.getMethod()) ? null : job.getMethod(),
        model.getRevision(),
        job.isDpo() ? new PreferenceSettings(job.getDpoBeta(), job.getDpoSftWeight()) : null);
  }

  /**
   * The job's trainer options, none left to the trainer's defaults; a job without clipping sends
   * the largest norm, which no gradient exceeds.
   */
  static TrainingOptions trainingOptions(FineTuneJob job, boolean evaluate) {
    return TrainingOptions.builder()
        .optCheckpointEvery(job.getCheckpointEvery())
        .optSchedule(job.getSchedule())
        .optWarmupRatio(job.getWarmupRatio())
        .optGradientAccumulation(job.getGradientAccumulation())
        .optValidationEvery(job.getValidationEvery())
        .optEarlyStoppingPatience(job.getEarlyStoppingPatience())
        .optWeightDecay(job.getWeightDecay())
        .optMaxGradNorm(job.getMaxGradNorm() > 0 ? job.getMaxGradNorm() : Double.MAX_VALUE)
        .optEvaluationExamples(evaluate ? job.getEvaluationExamples() : 0)
        .optEvaluationMaxNewTokens(job.getEvaluationMaxNewTokens())
        .optPacking(job.isPacking())
        .optEarlyStoppingMetric(job.getEarlyStoppingMetric())
        .optRetention(evaluate ? job.getRetention() : null)
        .build();
  }

  /**
   * The files of a model folder its node downloads: the safetensors weights, their index and the
   * {@link #TRAINER_FILES}, all at the folder's top. A mirrored hub repository's extras ({@code
   * original/*.pth}, {@code pytorch_model.bin}, ONNX or GGUF exports, the model card) are not
   * downloaded.
   */
  static List<String> trainerFiles(List<String> modelFiles) {
    return modelFiles.stream()
        .filter(
            file ->
                TRAINER_FILES.contains(file)
                    || file.endsWith(".safetensors") && !file.contains("/")
                    || file.equals("model.safetensors.index.json"))
        .toList();
  }

  /**
   * What a full fine-tune delivers: {@value JobFolder#MODEL_WEIGHTS}, one fp32 file however large,
   * and every other file the node received of the base model ({@link #trainerFiles}: config,
   * generation config, tokenizer files, chat template), as the node copies them.
   */
  static List<String> tunedModelFiles(List<String> baseFiles) {
    List<String> files = new ArrayList<>();
    files.add(JobFolder.MODEL_WEIGHTS);
    baseFiles.stream().filter(TRAINER_FILES::contains).forEach(files::add);
    return files;
  }

  /**
   * The files of one of the job's checkpoints: an adapter's or, for a full fine-tune, all weights.
   */
  List<String> checkpointFiles(FineTuneJob job) {
    return JobFolder.checkpointFiles(job.isFullFineTuning());
  }

  /** PUT URLs for the named files of checkpoint {@code step-{step}} of the job. */
  Map<String, String> checkpointUploads(FineTuneJob job, int step, List<String> files) {
    String prefix = ObjectKeys.jobCheckpoint(job.getTenantId(), job.getId(), step);
    Map<String, String> urls = new LinkedHashMap<>();
    for (String file : files) {
      urls.put(file, upload(prefix + file));
    }
    return urls;
  }

  /** Whether every file a resume needs is in storage for that checkpoint. */
  boolean checkpointStored(FineTuneJob job, int step) {
    String prefix = ObjectKeys.jobCheckpoint(job.getTenantId(), job.getId(), step);
    return checkpointFiles(job).stream().allMatch(file -> storage.exists(prefix + file));
  }
}
