package dev.tuneforge.modelformat.memory;

import dev.tuneforge.modelformat.ModelConfig;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * The memory a training job needs on its device, by part, in bytes: what dispatch compares with a
 * node's free memory and what the form and the catalogue show. docs/training.md derives every term.
 *
 * @param weights the model's weights as the trainer holds them (the frozen base and, for full
 *     fine-tuning, the trained weights)
 * @param trainable the trainable weights beside the base (LoRA matrices; 0 for full fine-tuning,
 *     whose trained weights are the base)
 * @param gradients one gradient per trainable weight
 * @param optimizer AdamW's two moments per trainable weight
 * @param activations what one micro-batch's forward pass leaves alive until its backward pass ends,
 *     plus the backward pass's own peak
 * @param workspace the engine's own allocations and the allocator's fragmentation
 */
public record MemoryEstimate(
    long weights,
    long trainable,
    long gradients,
    long optimizer,
    long activations,
    long workspace) {

  /** How a job trains, as far as memory is concerned. */
  public enum Method {
    LORA,
    /** LoRA over projections kept in NF4: {@link #NF4_BYTES_PER_WEIGHT} each. */
    QLORA,
    FULL,
    /** LoRA on preference pairs: each forward pass holds a micro-batch's chosen and rejected. */
    DPO;

    /**
     * The method by its wire name ({@code lora}, {@code qlora}, {@code full}, {@code dpo}); null is
     * LoRA.
     */
    public static Method of(@Nullable String name) {
      return name == null ? LORA : valueOf(name.toUpperCase(Locale.ROOT));
    }
  }

  /**
   * The bytes QLoRA keeps per frozen projection weight: a 4-bit code, an 8-bit scale per block of
   * 64 and an fp32 absmax per 256 scales (the embedding, norms and lm_head stay fp32).
   */
  public static final double NF4_BYTES_PER_WEIGHT = 0.5 + 1.0 / 64 + 4.0 / (64 * 256);

  /**
   * The job's shape.
   *
   * @param method LoRA or full fine-tuning
   * @param microBatch the sequences of one forward pass (the batch size; gradient accumulation does
   *     not add to it)
   * @param sequenceLength the tokens per sequence
   * @param loraRank LoRA's r (ignored for full fine-tuning)
   * @param loraTargets the projections LoRA adapts (ignored for full fine-tuning)
   * @param baseBytesPerWeight how many bytes the trainer keeps per frozen base weight (4 for fp32)
   */
  public record Job(
      Method method,
      int microBatch,
      int sequenceLength,
      int loraRank,
      List<String> loraTargets,
      double baseBytesPerWeight) {

    public Job {
      loraTargets = List.copyOf(loraTargets);
    }

    /** The same job with another micro-batch. */
    public Job withMicroBatch(int sequences) {
      return new Job(method, sequences, sequenceLength, loraRank, loraTargets, baseBytesPerWeight);
    }
  }

  /** Every array the trainer creates is fp32 (see docs/training.md, "Devices and dtypes"). */
  static final long FLOAT = 4;

  /** The engine's fixed share: its kernels' scratch space, the CUDA context's buffers. */
  static final long FIXED_WORKSPACE = 256L * 1024 * 1024;

  /** The allocator's fragmentation and caching, as a share of everything else. */
  static final double FRAGMENTATION = 0.10;

  private static final double GIB = 1024.0 * 1024 * 1024;

  public long total() {
    return weights + trainable + gradients + optimizer + activations + workspace;
  }

  /** Whether the job fits in {@code availableBytes}. */
  public boolean fitsIn(long availableBytes) {
    return total() <= availableBytes;
  }

  /** Bytes as GiB with one decimal, as the form and the job page show them: {@code 21.4 GiB}. */
  public static String gib(long bytes) {
    return String.format(Locale.ROOT, "%.1f GiB", bytes / GIB);
  }

  /**
   * The estimate for a model and a job. Trainable weights, their gradients and AdamW's moments are
   * fp32. Activations count every array the forward pass creates (this trainer keeps each one until
   * the step ends, not only those autograd saves), the materialised attention scores ({@code 3 ×
   * heads × length²} per sequence and layer: scores, masked, softmax) and the logits with their
   * log-softmax, plus the backward pass's transient gradients of the logits.
   */
  public static MemoryEstimate of(ModelConfig config, long parameters, Job job) {
    boolean full = job.method() == Method.FULL;
    long trainableCount = full ? parameters : loraParameters(config, job);
    // QLoRA keeps the projections in NF4 and the rest as the base; each forward pass dequantises
    // every projection to fp32, and the engine keeps those copies until the backward pass.
    long quantised = job.method() == Method.QLORA ? projectionWeights(config) : 0;
    long weights =
        (long)
            Math.ceil(
                full
                    ? parameters * (double) FLOAT
                    : (parameters - quantised) * job.baseBytesPerWeight()
                        + quantised * NF4_BYTES_PER_WEIGHT);
    long trainable = full ? 0 : trainableCount * FLOAT;
    long gradients = trainableCount * FLOAT;
    long optimizer = 2 * trainableCount * FLOAT;
    Job pass = job.method() == Method.DPO ? job.withMicroBatch(2 * job.microBatch()) : job;
    long activations = activations(config, pass) + quantised * FLOAT;
    long rest = weights + trainable + gradients + optimizer + activations;
    long workspace = FIXED_WORKSPACE + (long) Math.ceil(rest * FRAGMENTATION);
    return new MemoryEstimate(weights, trainable, gradients, optimizer, activations, workspace);
  }

  /**
   * The largest micro-batch below the job's, dividing it (so that gradient accumulation keeps the
   * effective batch), at which the job fits in {@code availableBytes}; empty when none does.
   */
  public static OptionalInt microBatchThatFits(
      ModelConfig config, long parameters, Job job, long availableBytes) {
    for (int sequences = job.microBatch() - 1; sequences >= 1; sequences--) {
      if (job.microBatch() % sequences == 0
          && of(config, parameters, job.withMicroBatch(sequences)).fitsIn(availableBytes)) {
        return OptionalInt.of(sequences);
      }
    }
    return OptionalInt.empty();
  }

  /** The weights of every layer's seven projections, which QLoRA quantises. */
  static long projectionWeights(ModelConfig config) {
    long perLayer = 0;
    for (String projection : ModelConfig.PROJECTIONS) {
      long[] shape = config.projectionShape(projection);
      perLayer += shape[0] * shape[1];
    }
    return perLayer * config.numHiddenLayers();
  }

  /** How many weights a checkpoint of the config holds (a tied lm_head once). */
  public static long weightCount(ModelConfig config) {
    long total = 0;
    for (long[] shape : config.tensorShapes().values()) {
      long size = 1;
      for (long d : shape) {
        size *= d;
      }
      total += size;
    }
    return total;
  }

  static long loraParameters(ModelConfig config, Job job) {
    long perLayer = 0;
    for (String target : job.loraTargets()) {
      long[] shape = config.projectionShape(target);
      perLayer += (long) job.loraRank() * (shape[0] + shape[1]);
    }
    return perLayer * config.numHiddenLayers();
  }

  /** Floats per token that one decoder layer's forward pass creates, LoRA's extra arrays aside. */
  static long perTokenPerLayer(ModelConfig config) {
    long hidden = config.hiddenSize();
    long attention = (long) config.numAttentionHeads() * config.headDim();
    long keyValue = (long) config.numKeyValueHeads() * config.headDim();
    boolean grouped = config.numKeyValueHeads() != config.numAttentionHeads();
    // two RMS norms (x², x / rms, × weight) and the two residual adds
    long norms = 2 * 3 * hidden + 2 * hidden;
    // q: projection, rotary (neg half, concat, × cos, × sin, add), × scale; k: projection, rotary;
    // v: projection; repeated k and v for grouped heads; softmax·v and its transposed copy; o_proj
    long q = attention + 4 * attention + attention / 2 + attention;
    long k = keyValue + 4 * keyValue + keyValue / 2;
    long v = keyValue;
    long repeated = grouped ? 2 * attention : 0;
    long attended = 2 * attention + hidden;
    // gate, up, sigmoid(gate), gate × sigmoid, × up; down_proj
    long mlp = 5L * config.intermediateSize() + hidden;
    return norms + q + k + v + repeated + attended + mlp;
  }

  /**
   * Floats per token that LoRA adds per layer: for each target, dropout's copy of the input, the
   * down projection ({@code r}), the up projection, its scaled copy and the sum with the base
   * output. Dropout's copy is counted whatever the dropout: an upper bound when it is 0.
   */
  static long loraPerTokenPerLayer(ModelConfig config, Job job) {
    if (job.method() == Method.FULL) {
      return 0;
    }
    long extra = 0;
    for (String target : job.loraTargets()) {
      long[] shape = config.projectionShape(target);
      extra += shape[1] + job.loraRank() + 3 * shape[0];
    }
    return extra;
  }

  static long activations(ModelConfig config, Job job) {
    long tokens = (long) job.microBatch() * job.sequenceLength();
    long length = job.sequenceLength();
    long layers = config.numHiddenLayers();
    long perLayer =
        tokens * (perTokenPerLayer(config) + loraPerTokenPerLayer(config, job))
            + 3L * job.microBatch() * config.numAttentionHeads() * length * length;
    // embedding output and the final norm's three arrays
    long outer = tokens * 4L * config.hiddenSize();
    // logits and log-softmax kept; their gradients exist together during backward
    long logits = 4L * tokens * config.vocabSize();
    return FLOAT * (layers * perLayer + outer + logits);
  }
}
