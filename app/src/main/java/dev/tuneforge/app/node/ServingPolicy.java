package dev.tuneforge.app.node;

import java.util.Locale;

/**
 * Whether a node serves generation requests (playground, chat completions) beside its training:
 * never, only while it runs no job, or always.
 */
public enum ServingPolicy {
  OFF("Off"),
  WHEN_IDLE("When idle"),
  ALWAYS("Always");

  private final String label;

  ServingPolicy(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The name in the database and in the heartbeat reply: {@code off}, {@code when_idle}, … */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  static ServingPolicy fromWire(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }

  /** Whether a node in {@code state} ({@code idle}, {@code busy}) may take a generation now. */
  public boolean allowsServing(String state) {
    return this == ALWAYS || (this == WHEN_IDLE && "idle".equals(state));
  }
}
