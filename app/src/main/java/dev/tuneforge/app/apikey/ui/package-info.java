/** The API keys page: a user's own keys, and for admins the keys of the users they manage. */
@NullMarked
package dev.tuneforge.app.apikey.ui;

import org.jspecify.annotations.NullMarked;
