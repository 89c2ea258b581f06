package dev.tuneforge.app.node;

import dev.tuneforge.protocol.EnrolRequest;
import dev.tuneforge.protocol.EnrolResponse;
import dev.tuneforge.protocol.Gpu;
import dev.tuneforge.protocol.NodeApi;
import dev.tuneforge.protocol.NodeResources;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Enrolment, authentication and liveness of training nodes. */
@Service
@EnableConfigurationProperties(NodeProperties.class)
public class NodeService {
  static final Duration TOKEN_VALIDITY = Duration.ofHours(24);
  private static final String UNUSABLE_TOKEN = "The enrolment token is unknown, used or expired";

  private final NodeRepository nodes;
  private final EnrolmentTokenRepository tokens;
  private final NodeProperties properties;
  private final Clock clock;
  private final ApplicationEventPublisher events;

  NodeService(
      NodeRepository nodes,
      EnrolmentTokenRepository tokens,
      NodeProperties properties,
      Clock clock,
      ApplicationEventPublisher events) {
    this.nodes = nodes;
    this.tokens = tokens;
    this.properties = properties;
    this.clock = clock;
    this.events = events;
  }

  /** A new one-time enrolment token, shown once; valid for 24 hours. */
  @PreAuthorize("hasRole('PLATFORM_ADMIN')")
  @Transactional
  public String issueEnrolmentToken() {
    String token = issueToken();
    events.publishEvent(
        new NodeChanged(null, "", NodeChanged.Change.TOKEN_ISSUED, "valid " + TOKEN_VALIDITY));
    return token;
  }

  /** For the local launcher, which enrols its own node before anyone signs in. */
  @Transactional
  public String issueEnrolmentTokenForLocalNode() {
    return issueToken();
  }

  private String issueToken() {
    String token = Secrets.newSecret("tfe_");
    Instant now = clock.instant();
    tokens.save(new EnrolmentToken(Secrets.hash(token), now, now.plus(TOKEN_VALIDITY)));
    return token;
  }

  /**
   * Exchanges a valid, unused token for the node's own credential.
   *
   * @throws IncompatibleNodeException if the node speaks another protocol version; its token stays
   *     usable
   * @throws IllegalArgumentException if the token is unknown, used or expired
   * @throws MalformedNodeRequestException if the request lacks the token or the resources
   */
  @Transactional
  public EnrolResponse enrol(EnrolRequest request) {
    if (request.token() == null || request.resources() == null) {
      throw new MalformedNodeRequestException(
          "An enrolment needs \"token\" (the one-time token an administrator issued) and"
              + " \"resources\" (the node's device, memory and cores)");
    }
    int version = request.statedProtocolVersion();
    if (version < NodeApi.OLDEST_PROTOCOL_VERSION || version > NodeApi.PROTOCOL_VERSION) {
      throw new IncompatibleNodeException(
          "This app takes training nodes of protocol version "
              + NodeApi.PROTOCOL_VERSION
              + " (or down to "
              + NodeApi.OLDEST_PROTOCOL_VERSION
              + "); this node speaks version "
              + request.statedProtocolVersion()
              + ". Run the training node of the app's release; the enrolment token stays usable.");
    }
    Instant now = clock.instant();
    EnrolmentToken token =
        tokens
            .findByTokenHash(Secrets.hash(request.token()))
            .filter(t -> t.usable(now))
            .orElseThrow(
                () ->
                    tokens.findByTokenHash(Secrets.hash(request.token())).isPresent()
                        ? new IllegalArgumentException(UNUSABLE_TOKEN)
                        : new UnknownEnrolmentTokenException(UNUSABLE_TOKEN));
    String credential = Secrets.newSecret("tfn_");
    NodeResources resources = request.resources();
    String name =
        request.name() == null || request.name().isBlank() ? "node" : request.name().strip();
    TrainingNode node =
        nodes.save(
            new TrainingNode(
                name.length() > 200 ? name.substring(0, 200) : name,
                Secrets.hash(credential),
                resources.device(),
                resources.deviceName(),
                resources.memoryBytes(),
                resources.cpuCores(),
                resources.gpus(),
                now));
    node.speaks(version);
    node.credentialExpiresAt(now.plus(properties.credentialLifetime()));
    token.use(node.getId(), now);
    events.publishEvent(
        new NodeChanged(
            node.getId(), node.getName(), NodeChanged.Change.ENROLLED, resources.device()));
    return new EnrolResponse(node.getId(), credential);
  }

  /** The node a credential belongs to, unless it was revoked or has expired. */
  public Optional<TrainingNode> authenticate(String credential) {
    Instant now = clock.instant();
    return nodes.findByCredentialHash(Secrets.hash(credential)).filter(n -> n.credentialValid(now));
  }

  /**
   * Revokes a node's credential: its next call is refused with 401, and the jobs it held go back to
   * the queue when their leases run out.
   */
  @PreAuthorize("hasRole('PLATFORM_ADMIN')")
  @Transactional
  public void revoke(UUID nodeId) {
    TrainingNode node =
        nodes.findById(nodeId).orElseThrow(() -> new IllegalArgumentException("No such node"));
    node.revoke(clock.instant());
    events.publishEvent(new NodeChanged(nodeId, node.getName(), NodeChanged.Change.REVOKED, ""));
  }

  /** Drains a node (it finishes what it holds and gets no new lease), or ends a drain. */
  @PreAuthorize("hasRole('PLATFORM_ADMIN')")
  @Transactional
  public void drain(UUID nodeId, boolean drain) {
    TrainingNode node =
        nodes.findById(nodeId).orElseThrow(() -> new IllegalArgumentException("No such node"));
    node.drain(drain);
    events.publishEvent(
        new NodeChanged(
            nodeId,
            node.getName(),
            drain ? NodeChanged.Change.DRAINED : NodeChanged.Change.UNDRAINED,
            ""));
  }

  /** The node of a node API call, by the id its credential gave. */
  public Optional<TrainingNode> authenticatedNode(UUID nodeId) {
    return nodes.findById(nodeId);
  }

  @Transactional
  public void heartbeat(TrainingNode node, String state) {
    heartbeat(node, state, List.of());
  }

  /** Records a heartbeat and the GPUs it reports (none: the stored ones stand). */
  @Transactional
  public void heartbeat(TrainingNode node, String state, List<Gpu> gpus) {
    nodes
        .findById(node.getId())
        .ifPresent(n -> n.heartbeat("busy".equals(state) ? "busy" : "idle", gpus, clock.instant()));
  }

  /** Nodes heard from recently, which may take work: not draining, not revoked. */
  List<TrainingNode> online() {
    Instant now = clock.instant();
    return nodes
        .findByStateNotAndLastHeartbeatAtAfterOrderByName(
            "offline", now.minus(properties.heartbeatTimeout()))
        .stream()
        .filter(n -> !n.isDraining() && n.credentialValid(now))
        .toList();
  }

  @Transactional
  int markSilentNodesOffline() {
    List<TrainingNode> silent =
        nodes.findByStateNotAndLastHeartbeatAtBefore(
            "offline", clock.instant().minus(properties.heartbeatTimeout()));
    silent.forEach(TrainingNode::markOffline);
    return silent.size();
  }

  /**
   * Sets a node's price per GPU-hour; null returns it to the default for its device. Jobs already
   * on the node keep the price they started at.
   *
   * @throws IllegalArgumentException for a negative or oversized price, or an unknown node
   */
  @PreAuthorize("hasRole('PLATFORM_ADMIN')")
  @Transactional
  public TrainingNode setPrice(UUID nodeId, @Nullable BigDecimal perGpuHour) {
    if (perGpuHour != null
        && (perGpuHour.signum() < 0
            || perGpuHour.compareTo(BigDecimal.valueOf(100_000_000)) >= 0)) {
      throw new IllegalArgumentException(
          "A price per GPU-hour is between 0 and 100000000, not " + perGpuHour.toPlainString());
    }
    TrainingNode node =
        nodes.findById(nodeId).orElseThrow(() -> new IllegalArgumentException("No such node"));
    node.price(perGpuHour == null ? null : perGpuHour.setScale(4, RoundingMode.HALF_UP));
    events.publishEvent(
        new NodeChanged(
            nodeId,
            node.getName(),
            NodeChanged.Change.PRICE,
            perGpuHour == null ? "no price" : perGpuHour.toPlainString() + " per GPU-hour"));
    return nodes.save(node);
  }

  /** Sets whether and when a node serves generation requests; the node learns it by heartbeat. */
  @PreAuthorize("hasRole('PLATFORM_ADMIN')")
  @Transactional
  public TrainingNode setServingPolicy(UUID nodeId, ServingPolicy policy) {
    TrainingNode node =
        nodes.findById(nodeId).orElseThrow(() -> new IllegalArgumentException("No such node"));
    node.serve(policy);
    events.publishEvent(
        new NodeChanged(
            nodeId, node.getName(), NodeChanged.Change.SERVING_POLICY, String.valueOf(policy)));
    return nodes.save(node);
  }

  /**
   * The node of a node API call, if it may take a generation request now (its policy and state).
   */
  public Optional<TrainingNode> servingNode(UUID nodeId) {
    Instant now = clock.instant();
    return nodes.findById(nodeId).filter(n -> n.credentialValid(now) && n.mayServeNow());
  }

  /**
   * Every enrolled node, for pricing (no admin check: prices are not secret, callers are internal).
   */
  List<TrainingNode> all() {
    return nodes.findAllByOrderByName();
  }

  @PreAuthorize("hasRole('PLATFORM_ADMIN')")
  public List<TrainingNode> list() {
    return nodes.findAllByOrderByName();
  }
}
