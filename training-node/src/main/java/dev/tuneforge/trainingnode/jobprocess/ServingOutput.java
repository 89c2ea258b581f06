package dev.tuneforge.trainingnode.jobprocess;

import dev.tuneforge.protocol.GenerationChunk;
import java.util.UUID;

/** A line the serving child prints to stdout: the next chunk of generation {@code id}. */
public record ServingOutput(UUID id, GenerationChunk chunk) {}
