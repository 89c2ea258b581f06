package dev.tuneforge.trainingnode.bench;

import dev.tuneforge.modelformat.safetensors.SafeTensors;
import dev.tuneforge.modelformat.safetensors.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Llama shape of any size. Writes {@code config.json} and {@code model.safetensors} with seeded
 * random weights: all the trainer loads for a speed run, where no tokenizer is needed and the
 * vocabulary may be any size (the demo model's is fixed by its tokenizer).
 */
record ModelShape(int hidden, int layers, int heads, int kvHeads, int intermediate, int vocab) {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  ModelShape {
    if (hidden % heads != 0 || heads % kvHeads != 0 || (hidden / heads) % 2 != 0) {
      throw new IllegalArgumentException(
          "hidden must split into heads of even size, heads into kv heads");
    }
  }

  static ModelShape of(BenchArgs args) {
    return new ModelShape(
        args.integer("hidden"),
        args.integer("layers"),
        args.integer("heads"),
        args.integer("kv-heads"),
        args.integer("intermediate"),
        args.integer("vocab"));
  }

  int headDim() {
    return hidden / heads;
  }

  void writeTo(Path directory, long seed) throws IOException {
    Files.createDirectories(directory);
    ObjectNode config = JSON.createObjectNode();
    config.putArray("architectures").add("LlamaForCausalLM");
    config.put("model_type", "llama");
    config.put("hidden_size", hidden);
    config.put("intermediate_size", intermediate);
    config.put("num_hidden_layers", layers);
    config.put("num_attention_heads", heads);
    config.put("num_key_value_heads", kvHeads);
    config.put("head_dim", headDim());
    config.put("vocab_size", vocab);
    config.put("max_position_embeddings", 4096);
    config.put("rope_theta", 10000.0);
    config.put("rms_norm_eps", 1e-5);
    config.put("hidden_act", "silu");
    config.put("tie_word_embeddings", false);
    Files.writeString(
        directory.resolve("config.json"),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config));
    SafeTensors.write(
        directory.resolve("model.safetensors"), weights(seed), Map.of("format", "pt"));
  }

  private Map<String, Tensor> weights(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int attention = heads * headDim();
    int keyValue = kvHeads * headDim();
    Map<String, Tensor> weights = new TreeMap<>();
    weights.put("model.embed_tokens.weight", normal(random, vocab, hidden, 0.02));
    for (int i = 0; i < layers; i++) {
      String prefix = "model.layers." + i + ".";
      weights.put(prefix + "self_attn.q_proj.weight", normal(random, attention, hidden, 0.02));
      weights.put(prefix + "self_attn.k_proj.weight", normal(random, keyValue, hidden, 0.02));
      weights.put(prefix + "self_attn.v_proj.weight", normal(random, keyValue, hidden, 0.02));
      weights.put(prefix + "self_attn.o_proj.weight", normal(random, hidden, attention, 0.02));
      weights.put(prefix + "mlp.gate_proj.weight", normal(random, intermediate, hidden, 0.02));
      weights.put(prefix + "mlp.up_proj.weight", normal(random, intermediate, hidden, 0.02));
      weights.put(prefix + "mlp.down_proj.weight", normal(random, hidden, intermediate, 0.02));
      weights.put(prefix + "input_layernorm.weight", ones(hidden));
      weights.put(prefix + "post_attention_layernorm.weight", ones(hidden));
    }
    weights.put("model.norm.weight", ones(hidden));
    weights.put("lm_head.weight", normal(random, vocab, hidden, 1 / Math.sqrt(hidden)));
    return weights;
  }

  private static Tensor normal(SplittableRandom random, int rows, int columns, double deviation) {
    float[] values = new float[rows * columns];
    for (int i = 0; i < values.length; i++) {
      double u1 = 1.0 - random.nextDouble();
      double u2 = random.nextDouble();
      values[i] =
          (float) (Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2) * deviation);
    }
    return new Tensor(new long[] {rows, columns}, values);
  }

  private static Tensor ones(int size) {
    float[] values = new float[size];
    Arrays.fill(values, 1f);
    return new Tensor(new long[] {size}, values);
  }

  @Override
  public String toString() {
    return "hidden "
        + hidden
        + ", "
        + layers
        + " layers, "
        + heads
        + " heads ("
        + kvHeads
        + " kv), intermediate "
        + intermediate
        + ", vocab "
        + vocab;
  }
}
