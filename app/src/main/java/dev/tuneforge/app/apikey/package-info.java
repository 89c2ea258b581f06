/**
 * API keys and the security of the public API: the Bearer chain for {@code /v1} and {@code /api},
 * per-key rate limits, the error bodies both APIs share, and provisioning of tenants, users and
 * keys over REST.
 */
@NullMarked
package dev.tuneforge.app.apikey;

import org.jspecify.annotations.NullMarked;
