package dev.tuneforge.app.teacher;

/**
 * The prompts of each stage. Their ids are recorded with every item and output row; change a
 * prompt's wording and its id changes with it, so rows made by different prompts stay apart.
 */
final class TeacherPrompts {
  static final String SYSTEM =
      "You write realistic training data for a model that extracts structured data from documents.";
  static final String CATEGORIES = "categories/v1";
  static final String SUBTOPICS = "subtopics/v1";
  static final String DOCUMENTS = "documents/v1";
  static final String EXTRACTION = "extraction/v1";
  static final String JUDGE = "judge/v1";
  static final String FILTER = "filter/v1";

  /**
   * The judge of a run that makes preference pairs: the same check, with a score, so that the two
   * extractions of a document can be compared on one scale.
   */
  static final String SCORED_JUDGE = "judge-scored/v1";

  /** The second extraction: the extraction prompt, sampled. */
  static final String SAMPLE = "extraction-sample/v1";

  private TeacherPrompts() {}

  static String categories(String domain, ExtractionSchema schema, int count) {
    return "Domain: "
        + domain
        + "\n"
        + "Fields that will be extracted from its documents: "
        + String.join(", ", schema.names())
        + "\n\n"
        + "List "
        + count
        + " distinct categories of documents in this domain.\n"
        + "Answer with JSON only, in this form: {\"categories\": [\"...\"]}";
  }

  static String subtopics(String domain, String category, int count) {
    return "Domain: "
        + domain
        + "\nCategory: "
        + category
        + "\n\n"
        + "List "
        + count
        + " distinct subtopics of this category, each a kind of document one would meet.\n"
        + "Answer with JSON only, in this form: {\"subtopics\": [\"...\"]}";
  }

  static String document(
      String domain,
      ExtractionSchema schema,
      String category,
      String subtopic,
      int variant,
      int of) {
    return "Domain: "
        + domain
        + "\nCategory: "
        + category
        + "\nSubtopic: "
        + subtopic
        + "\n\n"
        + "Write one realistic document of this kind (variant "
        + (variant + 1)
        + " of "
        + of
        + "; make it differ from the others in names, numbers, layout and length).\n"
        + "It should state values for most of these fields, in its own words and layout:\n"
        + schema.toText()
        + "Answer with the document's text only, no title or commentary.";
  }

  static String judge(ExtractionSchema schema, String document, String extraction) {
    return check(schema, document, extraction)
        + "Answer with JSON only: {\"verdict\": \"accept\" or \"reject\", \"reason\": \"one sentence\"}";
  }

  /**
   * The judge's check with a score from 1 (wrong or invented values) to 10 (every field right), for
   * runs that make preference pairs. Each extraction is scored on its own, never beside the other,
   * so the order in which they are shown cannot sway the judge.
   */
  static String scoredJudge(ExtractionSchema schema, String document, String extraction) {
    return check(schema, document, extraction)
        + "Score the extraction from 1 (values wrong or invented) to 10 (every field right).\n"
        + "Answer with JSON only: {\"verdict\": \"accept\" or \"reject\", \"score\": 1 to 10,"
        + " \"reason\": \"one sentence\"}";
  }

  private static String check(ExtractionSchema schema, String document, String extraction) {
    return "A model was asked to extract these fields from a document:\n"
        + schema.toText()
        + "\n"
        + "Document:\n\"\"\"\n"
        + document
        + "\n\"\"\"\n\n"
        + "Extraction:\n"
        + extraction
        + "\n\n"
        + "Check every field against the document: a value must be stated in the document (null where it is not),"
        + " and nothing may be invented.\n";
  }
}
