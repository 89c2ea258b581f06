/**
 * Training nodes: enrolment with one-time tokens, the node API (heartbeat, lease, events, result,
 * checkpoints; protocol version checked at enrolment) behind node credentials, Quartz jobs for
 * dispatch and liveness, and metering of each lease segment.
 */
@NullMarked
package dev.tuneforge.app.node;

import org.jspecify.annotations.NullMarked;
