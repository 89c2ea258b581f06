/**
 * Serving tuned and base models from the nodes: generation requests routed to serving nodes and
 * their answers relayed as they stream, OpenAI's chat completions and completions, the playground,
 * and the tokens served metered per tenant.
 */
@NullMarked
package dev.tuneforge.app.serving;

import org.jspecify.annotations.NullMarked;
