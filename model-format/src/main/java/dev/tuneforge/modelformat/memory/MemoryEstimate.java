package dev.tuneforge.modelformat.memory;

import dev.tuneforge.modelformat.ModelConfig;
import java.util.List;

/**
 * The memory a training job needs on its device, by part, in bytes: what dispatch compares with a
 * node's free memory and what the form and the catalogue show.
 *
 * @param weights the model's weights as the trainer holds them (the frozen base and, for full
 *     fine-tuning, the trained weights)
 * @param trainable the trainable weights beside the base (LoRA matrices; 0 for full fine-tuning,
 *     whose trained weights are the base)
 * @param gradients one gradient per trainable weight
 * @param optimizer AdamW's two moments per trainable weight
 * @param activations what the forward pass keeps for the backward pass, for one micro-batch
 * @param workspace the engine's own allocations and fragmentation
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
    FULL
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
  }

  private static final long FLOAT = 4;
  private static final long WORKSPACE = 256L * 1024 * 1024;

  public long total() {
    return weights + trainable + gradients + optimizer + activations + workspace;
  }

  /**
   * The estimate for a model and a job. Trainable weights, their gradients and AdamW's moments are
   * fp32. Activations count what the trainer keeps per layer and token (the normed inputs, the q,
   * k, v, attention output and MLP intermediates), the attention scores and their softmax
   * (materialised, {@code heads × length²} per sequence), and the logits with their log-softmax.
   */
  public static MemoryEstimate of(ModelConfig config, long parameters, Job job) {
    long trainableCount = job.method() == Method.FULL ? parameters : loraParameters(config, job);
    long weights =
        (long)
            Math.ceil(
                parameters * (job.method() == Method.FULL ? FLOAT : job.baseBytesPerWeight()));
    long trainable = job.method() == Method.FULL ? 0 : trainableCount * FLOAT;
    long gradients = trainableCount * FLOAT;
    long optimizer = 2 * trainableCount * FLOAT;
    return new MemoryEstimate(
        weights, trainable, gradients, optimizer, activations(config, job), WORKSPACE);
  }

  private static long loraParameters(ModelConfig config, Job job) {
    long perLayer = 0;
    for (String target : job.loraTargets()) {
      long[] shape = config.projectionShape(target);
      perLayer += (long) job.loraRank() * (shape[0] + shape[1]);
    }
    return perLayer * config.numHiddenLayers();
  }

  private static long activations(ModelConfig config, Job job) {
    long tokens = (long) job.microBatch() * job.sequenceLength();
    long attention = (long) config.numAttentionHeads() * config.headDim();
    long keyValue = (long) config.numKeyValueHeads() * config.headDim();
    long perTokenPerLayer =
        4L * config.hiddenSize() + 2L * attention + 2L * keyValue + 3L * config.intermediateSize();
    long scoresPerLayer =
        2L
            * job.microBatch()
            * config.numAttentionHeads()
            * job.sequenceLength()
            * (long) job.sequenceLength();
    long layers = config.numHiddenLayers();
    long logits = 2L * tokens * config.vocabSize();
    return FLOAT * (layers * (tokens * perTokenPerLayer + scoresPerLayer) + logits);
  }
}
