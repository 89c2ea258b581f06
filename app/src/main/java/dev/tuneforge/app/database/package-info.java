/**
 * How the app uses its database connections. The pool is small (Hikari's 10) and the threads that
 * use it are not (requests and event listeners run on virtual threads), so a thread never holds one
 * connection while it waits for a second: enough such threads would hold the whole pool and wait
 * for each other until the pool's timeout. {@link ConnectionUse} sets what keeps that true, {@link
 * AfterCommit} runs work once a change commits without a second connection, and {@link
 * NestedConnections} (a diagnostic, off by default) reports where a thread does take a second one.
 */
@NullMarked
package dev.tuneforge.app.database;

import org.jspecify.annotations.NullMarked;
