package dev.tuneforge.app.node;

import dev.tuneforge.app.finetune.JobLeasing;
import dev.tuneforge.protocol.EnrolRequest;
import dev.tuneforge.protocol.EnrolResponse;
import dev.tuneforge.protocol.Heartbeat;
import dev.tuneforge.protocol.HeartbeatReply;
import dev.tuneforge.protocol.JobEventBatch;
import dev.tuneforge.protocol.JobResult;
import dev.tuneforge.protocol.Lease;
import dev.tuneforge.protocol.NodeApi;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The node API: what training nodes call. See docs/node-protocol.md. */
@RestController
class NodeApiController {
  private final NodeService nodes;
  private final JobLeasing leasing;
  private final LeaseFactory leases;
  private final Dispatcher dispatcher;
  private final NodeProperties properties;

  NodeApiController(
      NodeService nodes, JobLeasing leasing, LeaseFactory leases, Dispatcher dispatcher, NodeProperties properties) {
    this.nodes = nodes;
    this.leasing = leasing;
    this.leases = leases;
    this.dispatcher = dispatcher;
    this.properties = properties;
  }

  @PostMapping(NodeApi.ENROL)
  EnrolResponse enrol(@RequestBody EnrolRequest request) {
    return nodes.enrol(request);
  }

  @PostMapping(NodeApi.HEARTBEAT)
  HeartbeatReply heartbeat(@AuthenticationPrincipal NodePrincipal node, @RequestBody Heartbeat heartbeat) {
    nodes.authenticatedNode(node.nodeId()).ifPresent(n -> nodes.heartbeat(n, heartbeat.state()));
    boolean cancel = leasing.renew(node.nodeId(), heartbeat.currentJobId(), Instant.now().plus(properties.leaseDuration()));
    return new HeartbeatReply(cancel);
  }

  /** Long poll: answers as soon as a job is assigned to this node, or with 204 after the wait. */
  @PostMapping(NodeApi.LEASE)
  ResponseEntity<Lease> lease(@AuthenticationPrincipal NodePrincipal node) throws InterruptedException {
    nodes.authenticatedNode(node.nodeId()).ifPresent(n -> nodes.heartbeat(n, "idle"));
    dispatcher.dispatchSoon();
    long deadline = System.nanoTime() + properties.leasePollWait().toNanos();
    do {
      Instant expires = Instant.now().plus(properties.leaseDuration());
      var started = leasing.start(node.nodeId(), expires);
      if (started.isPresent()) {
        return ResponseEntity.ok(leases.build(started.get(), expires));
      }
      Thread.sleep(250);
    } while (System.nanoTime() < deadline);
    return ResponseEntity.noContent().build();
  }

  @PostMapping(NodeApi.EVENTS)
  ResponseEntity<Void> events(
      @AuthenticationPrincipal NodePrincipal node, @PathVariable UUID jobId, @RequestBody JobEventBatch batch) {
    return leasing.record(node.nodeId(), jobId, batch.events())
        ? ResponseEntity.accepted().build()
        : ResponseEntity.status(HttpStatus.CONFLICT).build();
  }

  @PostMapping(NodeApi.RESULT)
  ResponseEntity<Void> result(
      @AuthenticationPrincipal NodePrincipal node, @PathVariable UUID jobId, @RequestBody JobResult result) {
    boolean accepted = leasing.complete(node.nodeId(), jobId, result);
    dispatcher.dispatchSoon();
    return accepted ? ResponseEntity.ok().build() : ResponseEntity.status(HttpStatus.CONFLICT).build();
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
    return ResponseEntity.status(HttpStatus.FORBIDDEN).body(Map.of("error", e.getMessage()));
  }
}
