package dev.tuneforge.protocol;

/**
 * How often the base and the tuned model prefer the chosen answer of held-out preference pairs: the
 * share of {@code pairs} where the answer's summed log-probability (over its tokens, given the
 * prompt) is higher for the chosen than for the rejected answer. For the tuned model this is also
 * the share where DPO's implicit reward margin is positive on top of the base's own margin.
 */
public record PreferenceAccuracy(int pairs, double base, double tuned) {}
