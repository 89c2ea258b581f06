/**
 * The one-command local platform: embedded PostgreSQL, S3Proxy, the app and one CPU node. For
 * trying Tuneforge on one machine and for end-to-end tests; not the production artefact.
 */
@NullMarked
package dev.tuneforge.launcher;

import org.jspecify.annotations.NullMarked;
