/**
 * What every feature's UI shares: the application shell (push, theme) and the main layout whose
 * navigation lists each feature's views from their {@code @Menu} annotations.
 */
@NullMarked
package dev.tuneforge.app.base;

import org.jspecify.annotations.NullMarked;
