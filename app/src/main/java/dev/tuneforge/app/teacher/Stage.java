package dev.tuneforge.app.teacher;

/**
 * The pipeline's stages in the order they run; only {@link #FILTER} needs no teacher call. {@link
 * #SAMPLE} and {@link #SCORE} run only for runs that make preference pairs.
 */
public enum Stage {
  CATEGORIES("Categories", "one call for the run"),
  SUBTOPICS("Subtopics", "one call per category"),
  DOCUMENTS("Documents", "one call per document"),
  EXTRACTION("Extraction", "one call per document"),
  JUDGE("Judge", "one call per extraction"),
  FILTER("Filter", "JSON and keys checked against the schema"),
  SAMPLE("Second sample", "one call per extraction, at temperature 1"),
  SCORE("Judge of the sample", "one call per second sample");

  private final String label;
  private final String unit;

  Stage(String label, String unit) {
    this.label = label;
    this.unit = unit;
  }

  public String label() {
    return label;
  }

  public String unit() {
    return unit;
  }
}
