/**
 * Teacher-model pipeline: a tenant's OpenAI-compatible chat endpoints and resumable runs that have
 * a teacher write categories, subtopics, documents, extractions and verdicts for a dataset.
 */
@NullMarked
package dev.tuneforge.app.teacher;

import org.jspecify.annotations.NullMarked;
