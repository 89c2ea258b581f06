package dev.tuneforge.app.serving;

import dev.tuneforge.app.node.NodePrincipal;
import dev.tuneforge.app.node.NodeService;
import dev.tuneforge.app.tenancy.TenantContext;
import dev.tuneforge.protocol.GenerationChunk;
import dev.tuneforge.protocol.GenerationFiles;
import dev.tuneforge.protocol.GenerationPoll;
import dev.tuneforge.protocol.GenerationRequest;
import dev.tuneforge.protocol.NodeApi;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The serving half of the node API (behind the node credential chain): serving nodes long-poll for
 * generations and post their chunks. A node whose policy forbids serving now gets nothing.
 */
@RestController
class GenerationNodeController {
  private final NodeService nodes;
  private final GenerationRouter router;
  private final ServedModels models;
  private final ServingProperties properties;

  GenerationNodeController(
      NodeService nodes,
      GenerationRouter router,
      ServedModels models,
      ServingProperties properties) {
    this.nodes = nodes;
    this.router = router;
    this.models = models;
    this.properties = properties;
  }

  @PostMapping(NodeApi.GENERATIONS)
  ResponseEntity<List<GenerationRequest>> generations(
      @AuthenticationPrincipal NodePrincipal node, @RequestBody GenerationPoll poll)
      throws InterruptedException {
    if (nodes.servingNode(node.nodeId()).isEmpty()) {
      // the policy forbids serving now: the node learns it from its next heartbeat reply
      Thread.sleep(Math.min(1000, properties.pollWait().toMillis()));
      return ResponseEntity.noContent().build();
    }
    List<GenerationRequest> requests = router.poll(node.nodeId(), poll, properties.pollWait());
    return requests.isEmpty() ? ResponseEntity.noContent().build() : ResponseEntity.ok(requests);
  }

  @PostMapping(NodeApi.GENERATION_CHUNKS)
  ResponseEntity<Void> chunk(
      @AuthenticationPrincipal NodePrincipal node,
      @PathVariable UUID requestId,
      @RequestBody GenerationChunk chunk) {
    Generation.Accepted accepted = router.chunk(node.nodeId(), requestId, chunk);
    return accepted == Generation.Accepted.REFUSED
        ? ResponseEntity.notFound().build()
        : ResponseEntity.noContent().build();
  }

  /**
   * The files of a generation this node took, signed again as its tenant from the model its caller
   * named, so a model deleted or retired since gets none.
   */
  @PostMapping(NodeApi.GENERATION_FILES)
  ResponseEntity<?> files(
      @AuthenticationPrincipal NodePrincipal node, @PathVariable UUID requestId) {
    Optional<GenerationQueue.AskedOf> asked = router.askedOf(node.nodeId(), requestId);
    if (asked.isEmpty()) {
      return ResponseEntity.status(HttpStatus.CONFLICT)
          .body(Map.of("error", "this node runs no such generation"));
    }
    try {
      ServedModel model =
          TenantContext.callAs(asked.get().tenantId(), () -> models.resolve(asked.get().model()));
      return ResponseEntity.ok(new GenerationFiles(model.base(), model.adapter()));
    } catch (ModelNotFoundException e) {
      return ResponseEntity.status(HttpStatus.CONFLICT)
          .body(Map.of("error", "the generation's model is no longer served"));
    }
  }

  @ExceptionHandler({HttpMessageNotReadableException.class, IllegalArgumentException.class})
  ResponseEntity<Map<String, String>> unreadable(Exception e) {
    Throwable cause =
        e instanceof HttpMessageNotReadableException unreadable
            ? unreadable.getMostSpecificCause()
            : e;
    return ResponseEntity.status(HttpStatus.BAD_REQUEST)
        .body(Map.of("error", String.valueOf(cause.getMessage())));
  }
}
