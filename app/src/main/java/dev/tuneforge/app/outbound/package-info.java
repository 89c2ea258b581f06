/**
 * The one way the app calls a URL a user configured (teacher endpoints, webhooks): which schemes
 * and addresses may be reached, and how much and how long an answer may take.
 */
@NullMarked
package dev.tuneforge.app.outbound;

import org.jspecify.annotations.NullMarked;
