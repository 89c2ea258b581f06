/**
 * The catalogue page: every model the signed-in user may see, its detail (template, memory, nodes
 * that fit), registering a folder in the bucket and retiring, for admins of the owner.
 */
@NullMarked
package dev.tuneforge.app.catalog.ui;

import org.jspecify.annotations.NullMarked;
