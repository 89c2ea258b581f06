package dev.tuneforge.app.evaluation;

/**
 * A model's answer to one example beside the expected one, to score: the expected assistant answer
 * (a JSON object) and what the model answered.
 *
 * @param id a label for tables, such as the dataset row's {@code id}
 */
public record ModelAnswer(String id, String expected, String output) {}
