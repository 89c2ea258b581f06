package dev.tuneforge.app.node;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** An enrolled training node. The app keeps only a hash of its credential. */
@Entity
@Table(name = "training_node")
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

  protected TrainingNode() {}

  TrainingNode(
      String name,
      String credentialHash,
      String device,
      String deviceName,
      long memoryBytes,
      int cpuCores,
      Instant now) {
    this.id = UUID.randomUUID();
    this.name = name;
    this.credentialHash = credentialHash;
    this.device = device;
    this.deviceName = deviceName;
    this.memoryBytes = memoryBytes;
    this.cpuCores = cpuCores;
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

  void heartbeat(String reportedState, Instant now) {
    state = reportedState;
    lastHeartbeatAt = now;
  }

  void price(@Nullable BigDecimal perGpuHour) {
    pricePerGpuHour = perGpuHour;
  }

  void markOffline() {
    state = "offline";
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

  /** The admin's price per GPU-hour for this node; null: the configured default for its device. */
  public @Nullable BigDecimal getPricePerGpuHour() {
    return pricePerGpuHour;
  }
}
