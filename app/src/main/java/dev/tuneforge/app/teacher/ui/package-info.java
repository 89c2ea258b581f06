/**
 * Views of the teacher pipeline: endpoints and the run launcher, and one run's stages, rejections
 * and resulting dataset.
 */
@NullMarked
package dev.tuneforge.app.teacher.ui;

import org.jspecify.annotations.NullMarked;
