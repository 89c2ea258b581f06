/** The tenant admin's webhooks page: endpoints, their secrets and the deliveries sent. */
@NullMarked
package dev.tuneforge.app.webhook.ui;

import org.jspecify.annotations.NullMarked;
