package dev.tuneforge.app.synthetic;

import java.util.List;
import java.util.Map;

/**
 * One generated row: the document as written (with noise), the same document without OCR errors,
 * the ground truth as JSON, the values of the fields the document states, the fields it leaves out
 * and the distractor values it carries.
 */
public record GeneratedExample(
    String document,
    String cleanDocument,
    String answer,
    Map<String, String> stated,
    List<String> omitted,
    List<String> distractors) {}
