/**
 * Training nodes: enrolment with one-time tokens, the node API (heartbeat, lease, events,
 * result) behind node credentials, and Quartz jobs for dispatch and liveness.
 */
@NullMarked
package dev.tuneforge.app.node;

import org.jspecify.annotations.NullMarked;
