package dev.tuneforge.trainingnode.serve;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDManager;
import dev.tuneforge.chat.ChatEncoder;
import dev.tuneforge.chat.ChatMessage;
import dev.tuneforge.trainingnode.generate.ChatPrompt;
import dev.tuneforge.trainingnode.generate.EosTokens;
import dev.tuneforge.trainingnode.generate.UnsupportedAdapterException;
import dev.tuneforge.trainingnode.model.LlamaModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Serves one base model, loaded once, to many generations at a time: each with its own LoRA adapter
 * or none (adapters from an LRU {@link AdapterCache}), decoded in one running batch that
 * generations join and leave between decoding steps (continuous batching). A new generation's
 * prompt is prefilled alone, then it decodes one token per step with the batch. {@link #submit} may
 * be called from any thread; everything else runs on the one thread that calls {@link #step} or
 * {@link #serve}, as DJL's arrays want.
 */
public final class ServingEngine implements AutoCloseable {

  private final LlamaModel model;
  private final HuggingFaceTokenizer tokenizer;
  private final ChatEncoder encoder;
  private final ChatPrompt chatPrompt;
  private final Set<Long> eosTokenIds;
  private final NDManager manager;
  private final BatchDecoder decoder;
  private final AdapterCache adapters;
  private final int maxBatch;
  private final LinkedBlockingQueue<Pending> waiting = new LinkedBlockingQueue<>();
  private final List<Sequence> running = new ArrayList<>();
  private @Nullable JsonVocabulary jsonVocabulary;

  private record Pending(Completion completion, GenerationStream stream) {}

  private ServingEngine(Path modelDirectory, int adapterCacheSize, int maxBatch)
      throws IOException {
    this.model = LlamaModel.loadFrozen(modelDirectory);
    try {
      this.tokenizer = ChatEncoder.loadTokenizer(modelDirectory);
      this.encoder = ChatEncoder.forModel(modelDirectory, tokenizer, Integer.MAX_VALUE);
      this.chatPrompt = new ChatPrompt(encoder);
      this.eosTokenIds = EosTokens.read(modelDirectory, tokenizer);
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
    this.manager = NDManager.newBaseManager(model.device());
    this.decoder = new BatchDecoder(model.config(), model.inferenceWeights());
    this.adapters = new AdapterCache(adapterCacheSize, decoder.weights(), manager);
    this.maxBatch = maxBatch;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A conversation's prompt tokens: rendered by the model's chat template with the generation
   * prompt.
   */
  public long[] encodeChat(List<ChatMessage> messages) {
    return chatPrompt.encode(messages);
  }

  /** A raw prompt's tokens, with the special tokens the tokenizer adds by default. */
  public long[] encodeText(String prompt) {
    return tokenizer.encode(prompt).getIds();
  }

  /** The model's context: a prompt longer than this is refused. */
  public int context() {
    return model.config().maxPositionEmbeddings();
  }

  /** Queues a generation; it joins the running batch at the next step that has room. */
  public void submit(Completion completion, GenerationStream stream) {
    waiting.add(new Pending(completion, stream));
  }

  /** Generations decoding now. */
  public int running() {
    return running.size();
  }

  /** Generations submitted and not yet decoding. */
  public int waiting() {
    return waiting.size();
  }

  /** Cache keys of the adapters held now, least recently used first. */
  public List<String> loadedAdapters() {
    return adapters.keys();
  }

  /** How many times an adapter was read from its folder (a reload after eviction counts). */
  public int adapterLoads() {
    return adapters.loads();
  }

  /**
   * One step: the running batch decodes one token each, then waiting generations join (prefilled
   * alone, their first token chosen) while there is room. Returns whether anything ran.
   */
  public boolean step() {
    running.removeIf(this::dropIfCancelled);
    boolean worked = !running.isEmpty();
    if (worked) {
      decode();
    }
    Pending pending;
    while (running.size() < maxBatch && (pending = waiting.poll()) != null) {
      worked = true;
      admit(pending);
    }
    return worked;
  }

  /** Steps until nothing runs and nothing waits. */
  public void runUntilIdle() {
    while (step()) {
      // each step decodes or admits
    }
  }

  /** Steps until {@code stop} says so, waiting for work while there is none. */
  public void serve(BooleanSupplier stop) throws InterruptedException {
    while (!stop.getAsBoolean()) {
      if (!step()) {
        Pending next = waiting.poll(200, TimeUnit.MILLISECONDS);
        if (next != null) {
          admit(next);
        }
      }
    }
  }

  private void decode() {
    long[][] tokens = new long[running.size()][1];
    for (int b = 0; b < running.size(); b++) {
      tokens[b][0] = running.get(b).lastToken();
    }
    float[][] logits;
    try (NDManager step = manager.newSubManager()) {
      logits = decoder.forward(step, running, tokens);
    }
    List<Sequence> done = new ArrayList<>();
    for (int b = 0; b < running.size(); b++) {
      if (!running.get(b).next(logits[b], eosTokenIds, context())) {
        done.add(running.get(b));
      }
    }
    done.forEach(this::end);
    running.removeAll(done);
  }

  private void admit(Pending pending) {
    Completion completion = pending.completion();
    GenerationStream stream = pending.stream();
    if (completion.promptIds().length > context()) {
      stream.onError(
          "the prompt has "
              + completion.promptIds().length
              + " tokens, more than the model's context of "
              + context());
      return;
    }
    LoadedAdapter adapter = null;
    if (completion.adapterKey() != null && completion.adapterDirectory() != null) {
      try {
        adapter = adapters.acquire(completion.adapterKey(), completion.adapterDirectory());
      } catch (IOException | UnsupportedAdapterException e) {
        stream.onError(
            "cannot load the adapter " + completion.adapterKey() + ": " + e.getMessage());
        return;
      }
    }
    Sequence sequence =
        new Sequence(
            completion,
            stream,
            adapter,
            manager,
            decoder.weights().layers().size(),
            new AnswerText(tokenizer, completion.stop()),
            completion.jsonOnly() ? new JsonConstraint(jsonVocabulary()) : null);
    float[][] logits;
    try (NDManager step = manager.newSubManager()) {
      logits = decoder.forward(step, List.of(sequence), new long[][] {completion.promptIds()});
    }
    if (sequence.next(logits[0], eosTokenIds, context())) {
      running.add(sequence);
    } else {
      end(sequence);
    }
  }

  private JsonVocabulary jsonVocabulary() {
    if (jsonVocabulary == null) {
      jsonVocabulary = JsonVocabulary.of(tokenizer, model.config().vocabSize());
    }
    return jsonVocabulary;
  }

  private boolean dropIfCancelled(Sequence sequence) {
    if (sequence.stream().cancelled()) {
      end(sequence);
      return true;
    }
    return false;
  }

  private void end(Sequence sequence) {
    sequence.close();
    if (sequence.adapter() != null) {
      adapters.release(sequence.adapter());
    }
  }

  @Override
  public void close() {
    running.forEach(Sequence::close);
    running.clear();
    adapters.close();
    manager.close();
    tokenizer.close();
    model.close();
  }

  /** {@code setX} for what serving cannot go without, {@code optX} for the rest. */
  public static final class Builder {
    private @Nullable Path modelDirectory;
    private int adapterCacheSize = 8;
    private int maxBatch = 16;

    private Builder() {}

    /** The base model's Hugging Face folder. */
    public Builder setModelDirectory(Path modelDirectory) {
      this.modelDirectory = modelDirectory;
      return this;
    }

    /** How many adapters stay loaded when no generation uses them (8 by default). */
    public Builder optAdapterCacheSize(int adapterCacheSize) {
      this.adapterCacheSize = adapterCacheSize;
      return this;
    }

    /** How many generations decode together at most (16 by default); more wait their turn. */
    public Builder optMaxBatch(int maxBatch) {
      this.maxBatch = maxBatch;
      return this;
    }

    /**
     * @throws IOException when the model's files cannot be read
     */
    public ServingEngine build() throws IOException {
      if (modelDirectory == null) {
        throw new IllegalStateException("the serving engine needs a model directory");
      }
      if (maxBatch < 1) {
        throw new IllegalArgumentException("a batch holds at least 1 generation");
      }
      return new ServingEngine(modelDirectory, adapterCacheSize, maxBatch);
    }
  }
}
