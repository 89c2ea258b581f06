package dev.tuneforge.app.finetune;

import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.modelformat.ModelConfig;
import dev.tuneforge.modelformat.memory.MemoryEstimate;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The memory a fine-tune needs on a node ({@link MemoryEstimate}, docs/training.md), from its base
 * model's config.json in the catalogue, for the form and for dispatch. The trainer keeps the base
 * in fp32 on every device, so the estimate does too.
 */
@Component
public class JobMemory {
  private static final double BASE_BYTES_PER_WEIGHT = 4;

  private final CatalogService catalog;
  private final ObjectStorage storage;
  private final Map<UUID, ModelConfig> configs = new ConcurrentHashMap<>();

  JobMemory(CatalogService catalog, ObjectStorage storage) {
    this.catalog = catalog;
    this.storage = storage;
  }

  /** The estimate for a job; empty when its base model or config cannot be read. */
  public Optional<MemoryEstimate> of(FineTuneJob job) {
    return shape(job).map(s -> MemoryEstimate.of(s.config(), s.parameters(), s.job()));
  }

  /** The estimate for a job's shape, as the form has it. */
  public Optional<MemoryEstimate> of(
      UUID baseModelId,
      String method,
      int batchSize,
      int maxSeqLength,
      int loraR,
      List<String> targets) {
    return shape(baseModelId, method, batchSize, maxSeqLength, loraR, targets)
        .map(s -> MemoryEstimate.of(s.config(), s.parameters(), s.job()));
  }

  /**
   * The largest micro-batch dividing the job's batch size with which it fits {@code bytes}, to
   * train with that much more gradient accumulation; empty when none does.
   */
  public OptionalInt microBatchThatFits(FineTuneJob job, long bytes) {
    return shape(job)
        .map(s -> MemoryEstimate.microBatchThatFits(s.config(), s.parameters(), s.job(), bytes))
        .orElse(OptionalInt.empty());
  }

  private record Shape(ModelConfig config, long parameters, MemoryEstimate.Job job) {}

  private Optional<Shape> shape(FineTuneJob job) {
    return shape(
        job.getBaseModelId(),
        job.getMethod(),
        job.getBatchSize(),
        job.getMaxSeqLength(),
        job.getLoraR(),
        job.getTargetModules());
  }

  private Optional<Shape> shape(
      UUID baseModelId,
      String method,
      int batchSize,
      int maxSeqLength,
      int loraR,
      List<String> targets) {
    Optional<BaseModel> model = catalog.find(baseModelId);
    if (model.isEmpty() || batchSize < 1 || maxSeqLength < 1) {
      return Optional.empty();
    }
    boolean full = FineTuneRequest.FULL.equals(method);
    Optional<ModelConfig> config = config(model.get());
    return config.map(
        c ->
            new Shape(
                c,
                model.get().getParameters() > 0
                    ? model.get().getParameters()
                    : MemoryEstimate.weightCount(c),
                new MemoryEstimate.Job(
                    MemoryEstimate.Method.of(method),
                    batchSize,
                    maxSeqLength,
                    full ? 0 : loraR,
                    full ? List.of() : targets,
                    BASE_BYTES_PER_WEIGHT)));
  }

  private Optional<ModelConfig> config(BaseModel model) {
    ModelConfig cached = configs.get(model.getId());
    if (cached != null) {
      return Optional.of(cached);
    }
    // the catalogue stores the config it inspected; only models from before that are read again
    @Nullable String stored = model.getConfigJson();
    try {
      ModelConfig config = ModelConfig.parse(stored != null ? stored : configFile(model));
      configs.put(model.getId(), config);
      return Optional.of(config);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private String configFile(BaseModel model) throws IOException {
    try (InputStream in = storage.open(model.getObjectPrefix() + "config.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
