/**
 * What operators watch: Prometheus metrics of the queue, dispatch, nodes, jobs and datasets, the
 * actuator's own security (probes open, metrics behind a scrape credential), and log context.
 */
@NullMarked
package dev.tuneforge.app.observability;

import org.jspecify.annotations.NullMarked;
