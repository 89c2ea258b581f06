package dev.tuneforge.trainingnode.generate;

/** Why a generation ended, as OpenAI's {@code finish_reason} distinguishes "stop" from "length". */
public enum StopReason {
  /** The model produced one of its end-of-sequence tokens. */
  EOS,
  /** The generation reached its maximum number of new tokens. */
  MAX_NEW_TOKENS,
  /** The sequence reached the model's max_position_embeddings, the context it was trained for. */
  CONTEXT_LIMIT
}
