/**
 * The training-node agent: enrols with the app, heartbeats, leases jobs, moves their files through
 * presigned URLs and runs each job in its own child JVM.
 */
@NullMarked
package dev.tuneforge.trainingnode.agent;

import org.jspecify.annotations.NullMarked;
