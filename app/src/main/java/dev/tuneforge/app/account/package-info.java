/**
 * Local accounts (hashed passwords in PostgreSQL), roles, sign-in and the security rules of the web
 * UI and the node API.
 */
@NullMarked
package dev.tuneforge.app.account;

import org.jspecify.annotations.NullMarked;
