/** The shell every view sits in, and UI parts that several features' views share (charts). */
@NullMarked
@NamedInterface("ui")
package dev.tuneforge.app.base.ui;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
