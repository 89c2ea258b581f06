package dev.tuneforge.protocol;

/** A node's one-time enrolment: the token an admin issued, the node's chosen name, its resources. */
public record EnrolRequest(String token, String name, NodeResources resources) {}
