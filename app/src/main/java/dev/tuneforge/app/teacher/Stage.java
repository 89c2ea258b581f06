package dev.tuneforge.app.teacher;

/** The pipeline's stages in the order they run; only {@link #FILTER} needs no teacher call. */
public enum Stage {
  CATEGORIES("Categories", "one call for the run"),
  SUBTOPICS("Subtopics", "one call per category"),
  DOCUMENTS("Documents", "one call per document"),
  EXTRACTION("Extraction", "one call per document"),
  JUDGE("Judge", "one call per extraction"),
  FILTER("Filter", "JSON and keys checked against the schema");

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
