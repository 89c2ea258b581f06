package dev.tuneforge.protocol;

import java.util.List;

/** Events a node sends together. */
public record JobEventBatch(List<JobEvent> events) {}
