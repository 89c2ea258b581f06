package dev.tuneforge.app.node;

import java.util.UUID;

/** The authenticated caller of the node API. */
public record NodePrincipal(UUID nodeId, String name) {}
