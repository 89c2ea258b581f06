package dev.tuneforge.app.evaluation;

/**
 * One row to evaluate: the expected assistant answer (a JSON object) and what a model answered.
 *
 * @param id a label for tables, such as the dataset row's {@code id}
 */
public record EvaluationExample(String id, String expected, String output) {}
