package dev.tuneforge.protocol;

import java.util.UUID;

/** The node's identity and its own credential, sent once; the app keeps only a hash of it. */
public record EnrolResponse(UUID nodeId, String credential) {}
