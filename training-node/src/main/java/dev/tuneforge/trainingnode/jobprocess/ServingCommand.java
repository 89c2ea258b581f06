package dev.tuneforge.trainingnode.jobprocess;

import dev.tuneforge.protocol.GenerationRequest;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A line the agent writes to the serving child's stdin: generate {@code request} with the base
 * model in {@code baseDirectory} and the adapter in {@code adapterDirectory} (both downloaded by
 * the agent into its cache), or, with {@code cancel}, stop generating {@code id}.
 */
public record ServingCommand(
    UUID id,
    @Nullable GenerationRequest request,
    @Nullable String baseDirectory,
    @Nullable String adapterDirectory,
    boolean cancel) {

  public static ServingCommand generate(
      GenerationRequest request, String baseDirectory, @Nullable String adapterDirectory) {
    return new ServingCommand(request.id(), request, baseDirectory, adapterDirectory, false);
  }

  public static ServingCommand cancel(UUID id) {
    return new ServingCommand(id, null, null, null, true);
  }
}
