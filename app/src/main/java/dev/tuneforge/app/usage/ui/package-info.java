/** The usage pages: a tenant's spend by day, user and base model, and the platform-wide view. */
@NullMarked
package dev.tuneforge.app.usage.ui;

import org.jspecify.annotations.NullMarked;
