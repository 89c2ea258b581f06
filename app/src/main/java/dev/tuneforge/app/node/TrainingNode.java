package dev.tuneforge.app.node;

import dev.tuneforge.protocol.Gpu;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;
import org.jspecify.annotations.Nullable;

/**
 * An enrolled training node. The app keeps only a hash of its credential. Updates write only the
 * columns that changed, so a heartbeat (state, time, GPUs) never writes back an admin's change to
 * the serving policy, price or draining that committed while it was under way.
 */
@Entity
@Table(name = "training_node")
@DynamicUpdate
public class TrainingNode {
  @Id private UUID id;
  private String name;
  private String credentialHash;
  private String device;
  private String deviceName;
  private long memoryBytes;
  private int cpuCores;
  private String state;
  private @Nullable Instant lastHeartbeatAt;
  private Instant enrolledAt;
  private @Nullable BigDecimal pricePerGpuHour;
  private int protocolVersion = 1;

  @Convert(converter = GpusConverter.class)
  private List<Gpu> gpus = List.of();

  private @Nullable Instant revokedAt;
  private @Nullable Instant credentialExpiresAt;
  private boolean draining;
  private String servingPolicy = ServingPolicy.WHEN_IDLE.wire();

  protected TrainingNode() {}

  TrainingNode(
      String name,
      String credentialHash,
      String device,
      String deviceName,
      long memoryBytes,
      int cpuCores,
      List<Gpu> gpus,
      Instant now) {
    this.id = UUID.randomUUID();
    this.name = name;
    this.credentialHash = credentialHash;
    this.device = device;
    this.deviceName = deviceName;
    this.memoryBytes = memoryBytes;
    this.cpuCores = cpuCores;
    this.gpus = List.copyOf(gpus);
    this.state = "idle";
    this.enrolledAt = now;
    this.lastHeartbeatAt = enrolledAt;
  }

  /** The node protocol version it stated at enrolment. */
  void speaks(int version) {
    protocolVersion = version;
  }

  /** Whether it takes merge leases (protocol version 2 or later). */
  public boolean takesMerges() {
    return protocolVersion >= dev.tuneforge.protocol.NodeApi.MERGE_PROTOCOL_VERSION;
  }

  /** A heartbeat's state; its GPUs replace the stored ones when it names any. */
  void heartbeat(String reportedState, List<Gpu> reportedGpus, Instant now) {
    state = reportedState;
    lastHeartbeatAt = now;
    if (!reportedGpus.isEmpty()) {
      gpus = List.copyOf(reportedGpus);
    }
  }

  void price(@Nullable BigDecimal perGpuHour) {
    pricePerGpuHour = perGpuHour;
  }

  void markOffline() {
    state = "offline";
  }

  void credentialExpiresAt(Instant expiry) {
    credentialExpiresAt = expiry;
  }

  /** Whether its credential still opens the node API: not revoked, not expired. */
  boolean credentialValid(Instant now) {
    return revokedAt == null && (credentialExpiresAt == null || now.isBefore(credentialExpiresAt));
  }

  void revoke(Instant now) {
    revokedAt = now;
    state = "offline";
  }

  void drain(boolean drain) {
    draining = drain;
  }

  void serve(ServingPolicy policy) {
    servingPolicy = policy.wire();
  }

  /** Whether and when it serves generation requests beside training. */
  public ServingPolicy getServingPolicy() {
    return ServingPolicy.fromWire(servingPolicy);
  }

  /** Whether it may take a generation request now: by its policy and state, not draining. */
  public boolean mayServeNow() {
    return !draining && revokedAt == null && getServingPolicy().allowsServing(state);
  }

  /** Whether it finishes what it holds but takes nothing new. */
  public boolean isDraining() {
    return draining;
  }

  public boolean isRevoked() {
    return revokedAt != null;
  }

  public UUID getId() {
    return id;
  }

  public String getName() {
    return name;
  }

  public String getDevice() {
    return device;
  }

  public String getDeviceName() {
    return deviceName;
  }

  public long getMemoryBytes() {
    return memoryBytes;
  }

  public int getCpuCores() {
    return cpuCores;
  }

  public String getState() {
    return state;
  }

  public @Nullable Instant getLastHeartbeatAt() {
    return lastHeartbeatAt;
  }

  public Instant getEnrolledAt() {
    return enrolledAt;
  }

  /** The GPUs as last reported, with the job each runs; empty for a CPU node. */
  public List<Gpu> getGpus() {
    return gpus;
  }

  /** How many jobs the node runs at once: one per GPU, one on a CPU node. */
  public int jobSlots() {
    return Math.max(1, gpus.size());
  }

  /** The most memory one job may have on this node: its largest GPU's, or a CPU node's memory. */
  public long largestJobMemory() {
    return gpus.stream().mapToLong(Gpu::memoryBytes).max().orElse(memoryBytes);
  }

  /**
   * The most memory a new job finds free now: the largest free memory of a GPU that runs no job, or
   * a CPU node's memory.
   */
  public long freeJobMemory() {
    return gpus.isEmpty()
        ? memoryBytes
        : gpus.stream()
            .filter(gpu -> gpu.jobId() == null)
            .mapToLong(Gpu::freeMemoryBytes)
            .max()
            .orElse(0);
  }

  /** The admin's price per GPU-hour for this node; null: the configured default for its device. */
  public @Nullable BigDecimal getPricePerGpuHour() {
    return pricePerGpuHour;
  }
}
