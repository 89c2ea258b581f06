package dev.tuneforge.app.teacher;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What a user asks of a run: which endpoint, what to write about, what to extract, how much, and
 * whether to make preference pairs (a second sampled extraction per document, both scored by the
 * judge; a pair is kept when the scores differ by at least {@code preferenceMargin} points of 10).
 */
public record TeacherRunRequest(
    UUID endpointId,
    String name,
    String domain,
    ExtractionSchema schema,
    int categories,
    int subtopicsPerCategory,
    int documentsPerSubtopic,
    double temperature,
    long seed,
    boolean preferencePairs,
    int preferenceMargin) {
  static final int MAX_DOCUMENTS = 10_000;

  /** Scores differ by at least this many points for a pair to be kept, unless the user says. */
  public static final int DEFAULT_MARGIN = 2;

  /** A run without preference pairs. */
  public TeacherRunRequest(
      UUID endpointId,
      String name,
      String domain,
      ExtractionSchema schema,
      int categories,
      int subtopicsPerCategory,
      int documentsPerSubtopic,
      double temperature,
      long seed) {
    this(
        endpointId,
        name,
        domain,
        schema,
        categories,
        subtopicsPerCategory,
        documentsPerSubtopic,
        temperature,
        seed,
        false,
        DEFAULT_MARGIN);
  }

  /** The first thing wrong with the request, in words for the user; null when it is fine. */
  @Nullable String problem() {
    if (name.isBlank()) {
      return "Give the run a name; the dataset is stored under it";
    }
    if (domain.isBlank()) {
      return "Describe the domain the documents come from";
    }
    if (categories < 1 || subtopicsPerCategory < 1 || documentsPerSubtopic < 1) {
      return "Categories, subtopics per category and documents per subtopic must each be at least 1";
    }
    if ((long) categories * subtopicsPerCategory * documentsPerSubtopic > MAX_DOCUMENTS) {
      return "That is "
          + (long) categories * subtopicsPerCategory * documentsPerSubtopic
          + " documents; a run writes at most "
          + MAX_DOCUMENTS;
    }
    if (!(temperature >= 0 && temperature <= 2)) {
      return "Temperature must be between 0 and 2";
    }
    if (preferencePairs && (preferenceMargin < 1 || preferenceMargin > 9)) {
      return "The preference margin must be between 1 and 9 points (the judge scores 1 to 10)";
    }
    return null;
  }
}
