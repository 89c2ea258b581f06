package dev.tuneforge.protocol;

import org.jspecify.annotations.Nullable;

/**
 * A node's one-time enrolment: the token an admin issued, the node's chosen name, its resources and
 * the {@link NodeApi#PROTOCOL_VERSION} it speaks (missing: {@link
 * NodeApi#UNSTATED_PROTOCOL_VERSION}).
 */
public record EnrolRequest(
    String token, String name, NodeResources resources, @Nullable Integer protocolVersion) {

  /** The request of a node of this protocol version. */
  public static EnrolRequest of(String token, String name, NodeResources resources) {
    return new EnrolRequest(token, name, resources, NodeApi.PROTOCOL_VERSION);
  }

  /** The version the node speaks. */
  public int statedProtocolVersion() {
    return protocolVersion == null ? NodeApi.UNSTATED_PROTOCOL_VERSION : protocolVersion;
  }
}
