package dev.tuneforge.trainingnode.export;

import dev.tuneforge.modelformat.ModelConfig;
import dev.tuneforge.modelformat.safetensors.DataType;
import dev.tuneforge.modelformat.safetensors.SafeTensors;
import dev.tuneforge.modelformat.safetensors.Tensor;
import dev.tuneforge.protocol.JobFolder;
import dev.tuneforge.trainingnode.generate.AdapterConfig;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a base model with a LoRA adapter merged in ({@code W' = W + alpha/r * B A} for each
 * adapted projection) as a Hugging Face directory: safetensors with the base model's names and
 * shapes, {@code __metadata__ {"format": "pt"}}, one file or shards with {@code
 * model.safetensors.index.json} above the shard size, and every other file of the base directory
 * (config, tokenizer, generation config, chat template) copied. Tied embeddings stay tied: LoRA
 * never adapts them, and a base without {@code lm_head.weight} gets none. Pure Java.
 *
 * <p>Given the weights of a full fine-tune instead of an adapter, it writes those in place of the
 * base's tensors of the same names (a stored but tied {@code lm_head.weight} takes the trained
 * embedding), so the directory has exactly the base's tensor names and shapes.
 */
public final class MergedModelExport {

  /** Hugging Face's default {@code max_shard_size} of 5GB. */
  public static final long DEFAULT_MAX_SHARD_BYTES = 5_000_000_000L;

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String INDEX = "model.safetensors.index.json";
  private static final List<String> WEIGHT_SUFFIXES =
      List.of(
          ".safetensors",
          ".bin",
          ".pt",
          ".pth",
          ".ckpt",
          ".gguf",
          ".h5",
          ".msgpack",
          ".index.json");

  private final Path model;
  private final @Nullable Path adapter;
  private final @Nullable Map<String, Tensor> trained;
  private final Path output;
  private final DataType dataType;
  private final long maxShardBytes;
  private final Progress progress;

  /** Hears how far the export got: {@code done} of {@code total} steps, and what it did. */
  @FunctionalInterface
  public interface Progress {
    void report(int done, int total, String what);
  }

  private MergedModelExport(Builder builder) {
    this.model = require(builder.model, "model directory");
    if ((builder.adapter == null) == (builder.trained == null)) {
      throw new IllegalStateException(
          "the export needs either an adapter directory or trained weights");
    }
    this.adapter = builder.adapter;
    this.trained = builder.trained;
    this.output = require(builder.output, "output directory");
    this.dataType = builder.dataType;
    this.maxShardBytes = builder.maxShardBytes;
    this.progress = builder.progress;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Merges and writes; returns the weight files written, relative to the output directory. */
  public List<String> write() throws IOException {
    if (Files.isDirectory(output)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(output)) {
        if (entries.iterator().hasNext()) {
          throw new IOException(
              output + " is not empty; the merged model needs a directory of its own");
        }
      }
    }
    ModelConfig config = ModelConfig.read(model.resolve("config.json"));
    Map<String, Tensor> weights = SafeTensors.readFolder(model);
    if (trained != null) {
      replace(weights, trained, config);
    } else {
      merge(weights, config);
    }
    Files.createDirectories(output);
    List<String> files = writeWeights(weights);
    copyOtherFiles();
    return files;
  }

  private static void replace(
      Map<String, Tensor> weights, Map<String, Tensor> trained, ModelConfig config)
      throws IOException {
    for (Map.Entry<String, Tensor> entry : trained.entrySet()) {
      Tensor base = weights.get(entry.getKey());
      if (base == null || !Arrays.equals(base.shape(), entry.getValue().shape())) {
        throw new IOException(
            "the trained weight "
                + entry.getKey()
                + " has no counterpart of its shape in the base model");
      }
      weights.put(entry.getKey(), entry.getValue());
    }
    if (config.tieWordEmbeddings() && weights.containsKey("lm_head.weight")) {
      weights.put("lm_head.weight", weights.get("model.embed_tokens.weight"));
    }
  }

  /**
   * The dtype of a Hugging Face model folder's weights as its {@code config.json} states it ({@code
   * torch_dtype}, or {@code dtype} in newer transformers): BF16, F16, or F32 when it says nothing
   * else.
   */
  public static DataType dataTypeOf(Path model) throws IOException {
    JsonNode config = JSON.readTree(Files.readString(model.resolve("config.json")));
    String stated = config.path("dtype").asString(config.path("torch_dtype").asString("float32"));
    return switch (stated) {
      case "bfloat16" -> DataType.BF16;
      case "float16" -> DataType.F16;
      default -> DataType.F32;
    };
  }

  private void merge(Map<String, Tensor> weights, ModelConfig config) throws IOException {
    Path adapterDirectory = require(adapter, "adapter directory");
    AdapterConfig adapterConfig = AdapterConfig.read(adapterDirectory);
    Map<String, Tensor> lora =
        adapterConfig.readWeights(adapterDirectory, config.numHiddenLayers());
    int total = lora.size() / 2;
    int done = 0;
    for (String name : new TreeSet<>(lora.keySet())) {
      if (name.endsWith(".lora_A.weight")) {
        String module = name.substring(0, name.length() - ".lora_A.weight".length());
        Tensor base = weights.get(module + ".weight");
        if (base == null) {
          throw new IOException(
              "the base model has no " + module + ".weight for the adapter to merge into");
        }
        weights.put(
            module + ".weight",
            LoraMerge.merge(
                module,
                base,
                lora.get(name),
                lora.get(module + ".lora_B.weight"),
                adapterConfig.scale()));
        progress.report(++done, total, "merged " + module);
      }
    }
  }

  /** Fills shards in name order, starting a new one where the next tensor would overflow it. */
  private List<String> writeWeights(Map<String, Tensor> weights) throws IOException {
    List<Map<String, Tensor>> shards = new ArrayList<>();
    long shardBytes = 0;
    long totalBytes = 0;
    for (Map.Entry<String, Tensor> entry : new TreeMap<>(weights).entrySet()) {
      long bytes = entry.getValue().size() * dataType.bytes();
      if (shards.isEmpty() || shardBytes > 0 && shardBytes + bytes > maxShardBytes) {
        shards.add(new TreeMap<>());
        shardBytes = 0;
      }
      shards.getLast().put(entry.getKey(), entry.getValue());
      shardBytes += bytes;
      totalBytes += bytes;
    }
    Map<String, String> metadata = Map.of("format", "pt");
    if (shards.size() == 1) {
      SafeTensors.write(
          output.resolve(JobFolder.MODEL_WEIGHTS), shards.getFirst(), metadata, dataType);
      return List.of(JobFolder.MODEL_WEIGHTS);
    }
    List<String> names = new ArrayList<>();
    ObjectNode index = JSON.createObjectNode();
    index.putObject("metadata").put("total_size", totalBytes);
    ObjectNode weightMap = index.putObject("weight_map");
    for (int i = 0; i < shards.size(); i++) {
      String name =
          String.format(Locale.ROOT, "model-%05d-of-%05d.safetensors", i + 1, shards.size());
      SafeTensors.write(output.resolve(name), shards.get(i), metadata, dataType);
      shards.get(i).keySet().forEach(key -> weightMap.put(key, name));
      names.add(name);
      progress.report(i + 1, shards.size(), "wrote " + name);
    }
    Files.writeString(
        output.resolve(INDEX), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(index));
    return names;
  }

  /** Everything but the weights, with config.json's dtype set to the one written. */
  private void copyOtherFiles() throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(model)) {
      for (Path file : entries) {
        String name = file.getFileName().toString();
        boolean weightsFile = WEIGHT_SUFFIXES.stream().anyMatch(name::endsWith);
        if (!Files.isRegularFile(file)
            || weightsFile
            || name.startsWith(".")
            || name.equals("config.json")
            // the base's model card describes the base, not this model
            || name.equals(JobFolder.MODEL_CARD)) {
          continue;
        }
        Files.copy(file, output.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    ObjectNode config = (ObjectNode) JSON.readTree(Files.readString(model.resolve("config.json")));
    String dtype =
        switch (dataType) {
          case BF16 -> "bfloat16";
          case F16 -> "float16";
          case F32 -> "float32";
        };
    config.put("torch_dtype", dtype);
    JsonNode newer = config.get("dtype");
    if (newer != null) {
      config.put("dtype", dtype);
    }
    Files.writeString(
        output.resolve("config.json"),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config));
  }

  private static <T> T require(@Nullable T value, String what) {
    if (value == null) {
      throw new IllegalStateException("the export needs a " + what);
    }
    return value;
  }

  /** {@code setX} for what the export cannot go without, {@code optX} for the rest. */
  public static final class Builder {
    private @Nullable Path model;
    private @Nullable Path adapter;
    private @Nullable Map<String, Tensor> trained;
    private @Nullable Path output;
    private DataType dataType = DataType.F32;
    private long maxShardBytes = DEFAULT_MAX_SHARD_BYTES;
    private Progress progress = (done, total, what) -> {};

    private Builder() {}

    /** Told after each merged projection and each shard written. */
    public Builder optProgress(Progress progress) {
      this.progress = progress;
      return this;
    }

    /** The base model's Hugging Face directory. */
    public Builder setModel(Path model) {
      this.model = model;
      return this;
    }

    /** The PEFT adapter directory. */
    public Builder setAdapter(Path adapter) {
      this.adapter = adapter;
      return this;
    }

    /**
     * Instead of an adapter: the weights of a full fine-tune by Hugging Face name, written in place
     * of the base's.
     */
    public Builder setTrainedWeights(Map<String, Tensor> trained) {
      this.trained = trained;
      return this;
    }

    /** A new or empty directory for the merged model. */
    public Builder setOutput(Path output) {
      this.output = output;
      return this;
    }

    /** F32 (default), BF16 or F16: the base's own, so the merged model is the size it was. */
    public Builder optDataType(DataType dataType) {
      this.dataType = dataType;
      return this;
    }

    /**
     * Above this many bytes of weights the model is sharded; a larger tensor gets a shard alone.
     */
    public Builder optMaxShardBytes(long maxShardBytes) {
      if (maxShardBytes <= 0) {
        throw new IllegalArgumentException("the maximum shard size must be positive");
      }
      this.maxShardBytes = maxShardBytes;
      return this;
    }

    public MergedModelExport build() {
      return new MergedModelExport(this);
    }
  }
}
