/**
 * The child JVM that runs one job ({@link dev.tuneforge.trainingnode.jobprocess.TrainingJobMain}):
 * it reads the job folder, trains with the {@code train} library, evaluates with {@code evaluate},
 * and speaks to the agent only through stdout events and files. Kept apart from {@code train} so
 * that the trainer library and the evaluation that uses it form no cycle.
 */
@NullMarked
package dev.tuneforge.trainingnode.jobprocess;

import org.jspecify.annotations.NullMarked;
