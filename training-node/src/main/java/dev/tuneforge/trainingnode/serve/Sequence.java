package dev.tuneforge.trainingnode.serve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.tuneforge.protocol.GenerationChunk;
import dev.tuneforge.trainingnode.generate.TokenSampler;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One generation in the running batch: its own KV cache (keys and values per layer {@code [1,
 * kvHeads, cached, headDim]}), adapter, sampler, constraint and answer so far. Owns its cache's
 * arrays until {@link #close()}.
 */
final class Sequence implements AutoCloseable {

  private final Completion completion;
  private final GenerationStream stream;
  private final @Nullable LoadedAdapter adapter;
  private final NDManager manager;
  private final @Nullable NDArray[] keys;
  private final @Nullable NDArray[] values;
  private final TokenSampler sampler;
  private final @Nullable JsonConstraint constraint;
  private final AnswerText text;
  private int cached;
  private int generated;
  private long last;

  Sequence(
      Completion completion,
      GenerationStream stream,
      @Nullable LoadedAdapter adapter,
      NDManager parent,
      int layers,
      AnswerText text,
      @Nullable JsonConstraint constraint) {
    this.completion = completion;
    this.stream = stream;
    this.adapter = adapter;
    this.manager = parent.newSubManager();
    this.keys = new NDArray[layers];
    this.values = new NDArray[layers];
    this.sampler = new TokenSampler(completion.temperature(), completion.topP(), completion.seed());
    this.text = text;
    this.constraint = constraint;
  }

  @Nullable LoadedAdapter adapter() {
    return adapter;
  }

  GenerationStream stream() {
    return stream;
  }

  int cached() {
    return cached;
  }

  long lastToken() {
    return last;
  }

  void advance(int count) {
    cached += count;
  }

  /** Appends one layer's new keys and values; returns the whole of both. */
  NDArray[] append(int layer, NDArray newKeys, NDArray newValues) {
    keys[layer] = extend(keys[layer], newKeys);
    values[layer] = extend(values[layer], newValues);
    return new NDArray[] {keys[layer], values[layer]};
  }

  private NDArray extend(@Nullable NDArray held, NDArray added) {
    NDArray whole = held == null ? added.duplicate() : NDArrays.concat(new NDList(held, added), 2);
    whole.attach(manager);
    if (held != null) {
      held.close();
    }
    return whole;
  }

  /**
   * Picks the next token from {@code logits}, streams its text and returns whether the answer goes
   * on; the engine then feeds {@link #lastToken()} back.
   */
  boolean next(float[] logits, Set<Long> eosTokenIds, int context) {
    stream.onLogits(logits);
    int left = completion.maxTokens() - generated;
    if (constraint != null && !constraint.mask(logits, left)) {
      stream.onError("no token of the vocabulary keeps the answer valid JSON");
      return false;
    }
    last = sampler.next(logits);
    generated++;
    if (constraint == null && eosTokenIds.contains(last)) {
      return finish(GenerationChunk.STOP);
    }
    String delta = text.add(last);
    if (constraint != null) {
      constraint.accept(last);
    }
    if (text.stopped() || (constraint != null && constraint.closed())) {
      stream.onToken(last, "");
      return finish(GenerationChunk.STOP, delta);
    }
    stream.onToken(last, delta);
    if (generated >= completion.maxTokens() || cached + 1 > context) {
      return finish(GenerationChunk.LENGTH);
    }
    return true;
  }

  private boolean finish(String reason) {
    return finish(reason, "");
  }

  private boolean finish(String reason, String delta) {
    stream.onFinish(delta + text.rest(), reason, completion.promptIds().length, generated);
    return false;
  }

  @Override
  public void close() {
    manager.close();
  }
}
