package dev.tuneforge.app.serving;

import dev.tuneforge.app.node.NodeService;
import dev.tuneforge.app.node.TrainingNode;
import dev.tuneforge.app.usage.BudgetService;
import dev.tuneforge.app.usage.ServedTokens;
import dev.tuneforge.app.usage.ServingMeter;
import dev.tuneforge.protocol.GenerationChunk;
import dev.tuneforge.protocol.GenerationRequest;
import dev.tuneforge.protocol.PromptMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Generation on the serving nodes for the calling tenant: finds the model it names, queues the
 * generation for a serving node, hands its chunks to the caller as they come, and meters the tokens
 * once the answer is complete. Generation never runs in the app.
 */
@Service
public class ServingService {
  private static final Logger log = LoggerFactory.getLogger(ServingService.class);

  private final ServedModels models;
  private final GenerationRouter router;
  private final ServingProperties properties;
  private final ServingMeter meter;
  private final BudgetService budgets;
  private final NodeService nodes;
  private final Clock clock;

  ServingService(
      ServedModels models,
      GenerationRouter router,
      ServingProperties properties,
      ServingMeter meter,
      BudgetService budgets,
      NodeService nodes,
      Clock clock) {
    this.models = models;
    this.router = router;
    this.properties = properties;
    this.meter = meter;
    this.budgets = budgets;
    this.nodes = nodes;
    this.clock = clock;
    router.onFinished(this::finished);
  }

  /**
   * @throws ModelNotFoundException unless the calling tenant may use a model of that name
   */
  public ServedModel model(String name) {
    return models.resolve(name);
  }

  /** The model a succeeded job of the calling tenant made, by its {@code ft:} name. */
  public Optional<ServedModel> tunedModel(UUID jobId) {
    return models.nameOf(jobId).map(models::resolve);
  }

  /** The base model alone, without the tuned model's adapter, for a comparison. */
  public ServedModel baseOf(ServedModel tuned) {
    return models.resolve(tuned.baseModelName());
  }

  /**
   * Queues a chat generation.
   *
   * @throws IllegalArgumentException for settings no node takes (the reason says which)
   * @throws BudgetSpentException when the tenant's monthly budget is spent
   */
  public Generation chat(
      ServedModel model, List<PromptMessage> messages, GenerationSettings settings, String caller) {
    return submit(model, messages, null, settings, caller);
  }

  /** Queues a generation continuing {@code prompt} as it is. */
  public Generation complete(
      ServedModel model, String prompt, GenerationSettings settings, String caller) {
    return submit(model, null, prompt, settings, caller);
  }

  private Generation submit(
      ServedModel model,
      @Nullable List<PromptMessage> messages,
      @Nullable String prompt,
      GenerationSettings settings,
      String caller) {
    budgets
        .runningProblem(model.tenantId())
        .ifPresent(
            reason -> {
              throw new BudgetSpentException("Not served: " + reason);
            });
    GenerationRequest request =
        new GenerationRequest(
            UUID.randomUUID(),
            model.base(),
            model.adapter(),
            messages,
            prompt,
            settings.maxTokens(),
            settings.temperature(),
            settings.topP(),
            settings.seed(),
            settings.stop(),
            settings.jsonOnly());
    return router.submit(request, model, caller);
  }

  /**
   * The generation's next chunk, waiting for it; a failed chunk when its node stopped answering.
   *
   * @throws NoServingNodeException when no serving node took it in time
   */
  public GenerationChunk next(Generation generation) throws InterruptedException {
    return generation.next(properties.pickupTimeout(), properties.chunkTimeout());
  }

  /** How long a caller waits for a complete answer to be metered before it goes on. */
  Duration settleWait() {
    return Duration.ofSeconds(10);
  }

  /** The caller no longer waits: the generation is dropped from the queue or its node told. */
  public void abandon(Generation generation) {
    router.abandon(generation);
  }

  /** Meters a complete answer for the tenant it was served to, on the replica that held it. */
  private void finished(Generation generation) {
    GenerationChunk last = generation.last();
    UUID nodeId = generation.node();
    TrainingNode node = nodeId == null ? null : nodes.authenticatedNode(nodeId).orElse(null);
    if (last == null || last.usage() == null || node == null) {
      return;
    }
    ServedModel model = generation.model();
    try {
      meter.record(
          new ServedTokens.Served(
              model.tenantId(),
              model.name(),
              model.baseModelId(),
              model.jobId(),
              node.getId(),
              node.getName(),
              generation.caller(),
              last.usage().promptTokens(),
              last.usage().completionTokens(),
              clock.instant()));
    } catch (RuntimeException e) {
      log.error(
          "Tokens served for tenant {} were not metered: {}", model.tenantId(), e.getMessage(), e);
    }
  }
}
