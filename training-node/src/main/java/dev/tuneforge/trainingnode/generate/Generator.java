package dev.tuneforge.trainingnode.generate;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDManager;
import dev.tuneforge.chat.ChatEncoder;
import dev.tuneforge.chat.ChatMessage;
import dev.tuneforge.trainingnode.model.LlamaModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Generates continuations of chat prompts with a loaded model, its LoRA adapter on or off: greedy
 * when the temperature is 0, else sampled with top-p from a seeded generator, decoding token by
 * token against a KV cache until an end-of-sequence token or the maximum number of new tokens.
 * Several prompts decode together, left-padded, each as if it were alone. No gradients: call it
 * outside any {@code GradientCollector}.
 */
public final class Generator {

  private final LlamaModel model;
  private final HuggingFaceTokenizer tokenizer;
  private final ChatPrompt chatPrompt;
  private final Set<Long> eosTokenIds;
  private final double temperature;
  private final double topP;
  private final int maxNewTokens;
  private final long seed;
  private final CachedDecoder decoder;

  private Generator(Builder builder, ChatEncoder encoder, Set<Long> eosTokenIds) {
    this.model = requireNonNull(builder.model, "model");
    this.tokenizer = requireNonNull(builder.tokenizer, "tokenizer");
    this.chatPrompt = new ChatPrompt(encoder);
    this.eosTokenIds = Set.copyOf(eosTokenIds);
    this.temperature = builder.temperature;
    this.topP = builder.topP;
    this.maxNewTokens = builder.maxNewTokens;
    this.seed = builder.seed;
    this.decoder = new CachedDecoder(model, builder.useAdapter);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Set<Long> eosTokenIds() {
    return eosTokenIds;
  }

  /** Continues one conversation with an assistant turn. */
  public GenerationResult generate(List<ChatMessage> prompt) {
    return generateBatch(List.of(prompt)).getFirst();
  }

  /** Continues several conversations in one left-padded batch. */
  public List<GenerationResult> generateBatch(List<List<ChatMessage>> prompts) {
    return generateFromIds(prompts.stream().map(chatPrompt::encode).toList());
  }

  /** The tokens a chat prompt becomes: the conversation rendered with its generation prompt. */
  public long[] encodePrompt(List<ChatMessage> prompt) {
    return chatPrompt.encode(prompt);
  }

  /** As {@link #encodePrompt(List)}, with the function schemas the conversation declares. */
  public long[] encodePrompt(List<ChatMessage> prompt, List<Map<String, Object>> tools) {
    return chatPrompt.encode(prompt, tools);
  }

  public GenerationResult generateFromIds(long[] promptIds) {
    return generateFromIds(List.of(promptIds)).getFirst();
  }

  /**
   * A prompt longer than the model's context (max_position_embeddings) gets no answer and stop
   * reason {@link StopReason#CONTEXT_LIMIT}, so that one overlong example never fails a whole
   * evaluation; the other prompts are continued as a batch of their own.
   */
  private List<GenerationResult> withoutOverlongPrompts(List<long[]> prompts, int context) {
    List<long[]> fitting = prompts.stream().filter(p -> p.length <= context).toList();
    Iterator<GenerationResult> answers =
        fitting.isEmpty() ? Collections.emptyIterator() : generateFromIds(fitting).iterator();
    List<GenerationResult> results = new ArrayList<>();
    for (long[] prompt : prompts) {
      results.add(
          prompt.length > context
              ? new GenerationResult("", new long[0], StopReason.CONTEXT_LIMIT, prompt.length, 0, 0)
              : answers.next());
    }
    return results;
  }

  /** Continues token prompts in one left-padded batch; the sampler's draws go row by row. */
  public List<GenerationResult> generateFromIds(List<long[]> prompts) {
    if (prompts.isEmpty() || prompts.stream().anyMatch(p -> p.length == 0)) {
      throw new IllegalArgumentException("every prompt needs at least one token");
    }
    int context = model.config().maxPositionEmbeddings();
    if (prompts.stream().anyMatch(p -> p.length > context)) {
      return withoutOverlongPrompts(prompts, context);
    }
    int batchSize = prompts.size();
    int longest = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
    long[][] tokens = new long[batchSize][longest];
    boolean[][] real = new boolean[batchSize][longest];
    for (int b = 0; b < batchSize; b++) {
      long[] prompt = prompts.get(b);
      int padding = longest - prompt.length;
      System.arraycopy(prompt, 0, tokens[b], padding, prompt.length);
      Arrays.fill(real[b], padding, longest, true);
    }
    TokenSampler sampler = new TokenSampler(temperature, topP, seed);
    List<List<Long>> generated = new ArrayList<>();
    StopReason[] stopped = new StopReason[batchSize];
    long started = System.nanoTime();
    long firstToken = 0;
    long[] stoppedAt = new long[batchSize];
    for (int b = 0; b < batchSize; b++) {
      generated.add(new ArrayList<>());
    }
    try (NDManager session = NDManager.newBaseManager(model.device());
        KvCache cache = new KvCache(session, decoder.layers(), batchSize)) {
      long[][] next = tokens;
      boolean[][] nextReal = real;
      while (true) {
        float[][] logits;
        try (NDManager step = session.newSubManager()) {
          logits = decoder.forward(step, next, nextReal, cache);
        }
        next = new long[batchSize][1];
        nextReal = new boolean[batchSize][1];
        boolean running = false;
        long now = System.nanoTime();
        if (firstToken == 0) {
          firstToken = now;
        }
        for (int b = 0; b < batchSize; b++) {
          if (stopped[b] != null) {
            continue;
          }
          long token = sampler.next(logits[b]);
          generated.get(b).add(token);
          if (eosTokenIds.contains(token)) {
            stopped[b] = StopReason.EOS;
          } else if (generated.get(b).size() >= maxNewTokens) {
            stopped[b] = StopReason.MAX_NEW_TOKENS;
          } else if (cache.realTokens(b) + 1 > context) {
            stopped[b] = StopReason.CONTEXT_LIMIT;
          }
          if (stopped[b] != null) {
            stoppedAt[b] = now;
          } else {
            next[b][0] = token;
            nextReal[b][0] = true;
            running = true;
          }
        }
        if (!running) {
          break;
        }
      }
    }
    List<GenerationResult> results = new ArrayList<>();
    for (int b = 0; b < batchSize; b++) {
      long[] ids = generated.get(b).stream().mapToLong(Long::longValue).toArray();
      long[] shown = stopped[b] == StopReason.EOS ? Arrays.copyOf(ids, ids.length - 1) : ids;
      results.add(
          new GenerationResult(
              tokenizer.decode(shown, true),
              ids,
              stopped[b],
              prompts.get(b).length,
              (firstToken - started) / 1e9,
              (stoppedAt[b] - firstToken) / 1e9));
    }
    return results;
  }

  private static <T> T requireNonNull(@Nullable T value, String what) {
    if (value == null) {
      throw new IllegalStateException("the generator needs a " + what);
    }
    return value;
  }

  /** {@code setX} for what generation cannot go without, {@code optX} for the rest. */
  public static final class Builder {
    private @Nullable LlamaModel model;
    private @Nullable HuggingFaceTokenizer tokenizer;
    private @Nullable Path modelDirectory;
    private @Nullable Set<Long> eosTokenIds;
    private double temperature;
    private double topP = 1;
    private int maxNewTokens = 256;
    private long seed;
    private boolean useAdapter = true;

    private Builder() {}

    public Builder setModel(LlamaModel model) {
      this.model = model;
      return this;
    }

    public Builder setTokenizer(HuggingFaceTokenizer tokenizer) {
      this.tokenizer = tokenizer;
      return this;
    }

    /**
     * The model's Hugging Face directory: its chat_template renders prompts and its eos tokens
     * ({@link EosTokens}) end generation. Without it prompts are ChatML and only {@link
     * #optEosTokenIds} stop generation early.
     */
    public Builder optModelDirectory(Path modelDirectory) {
      this.modelDirectory = modelDirectory;
      return this;
    }

    /** Replaces the eos tokens read from the model directory; empty decodes to the maximum. */
    public Builder optEosTokenIds(Collection<Long> eosTokenIds) {
      this.eosTokenIds = new TreeSet<>(eosTokenIds);
      return this;
    }

    /** 0 (the default) decodes greedily; above 0 samples from softmax(logits / temperature). */
    public Builder optTemperature(double temperature) {
      this.temperature = temperature;
      return this;
    }

    /**
     * Samples only from the most likely tokens whose probability reaches topP; 1 (default) keeps
     * all.
     */
    public Builder optTopP(double topP) {
      this.topP = topP;
      return this;
    }

    public Builder optMaxNewTokens(int maxNewTokens) {
      this.maxNewTokens = maxNewTokens;
      return this;
    }

    /** Equal seeds give equal samples for equal prompts; every call starts from the seed. */
    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /** False decodes with the base model alone, as PEFT's {@code disable_adapter()} does. */
    public Builder optUseAdapter(boolean useAdapter) {
      this.useAdapter = useAdapter;
      return this;
    }

    /**
     * @throws IOException when the model directory's tokenizer or generation files cannot be read
     */
    public Generator build() throws IOException {
      if (temperature < 0 || Double.isNaN(temperature)) {
        throw new IllegalArgumentException("temperature must be 0 (greedy) or positive");
      }
      if (!(topP > 0 && topP <= 1)) {
        throw new IllegalArgumentException("top_p must be in (0, 1]");
      }
      if (maxNewTokens < 1) {
        throw new IllegalArgumentException("max new tokens must be at least 1");
      }
      HuggingFaceTokenizer tokens = requireNonNull(tokenizer, "tokenizer");
      ChatEncoder encoder =
          modelDirectory == null
              ? new ChatEncoder(tokens, Integer.MAX_VALUE)
              : ChatEncoder.forModel(modelDirectory, tokens, Integer.MAX_VALUE);
      Set<Long> eos =
          eosTokenIds != null
              ? eosTokenIds
              : modelDirectory != null ? EosTokens.read(modelDirectory, tokens) : Set.of();
      return new Generator(this, encoder, eos);
    }
  }
}
