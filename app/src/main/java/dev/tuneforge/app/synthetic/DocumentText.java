package dev.tuneforge.app.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A document as it is laid out: plain text and field values, kept apart so that OCR noise can treat
 * them differently. Values are never split across lines.
 */
final class DocumentText {
  private record Segment(String text, boolean value) {}

  private final List<Segment> segments = new ArrayList<>();

  DocumentText text(String text) {
    if (!text.isEmpty()) {
      segments.add(new Segment(text, false));
    }
    return this;
  }

  DocumentText value(String value) {
    segments.add(new Segment(value, true));
    return this;
  }

  DocumentText newline() {
    return text("\n");
  }

  /** A "Label: value" line. */
  DocumentText labelled(String label, String value) {
    return text(label).value(value).newline();
  }

  String clean() {
    StringBuilder out = new StringBuilder();
    segments.forEach(s -> out.append(s.text()));
    return out.toString().strip();
  }

  /**
   * The text with OCR errors: {@code outside} of the characters between values, {@code inside} of
   * those in them.
   */
  String noisy(Random random, double outside, double inside) {
    StringBuilder out = new StringBuilder();
    for (Segment segment : segments) {
      out.append(OcrNoise.apply(segment.text(), segment.value() ? inside : outside, random));
    }
    return out.toString().strip();
  }
}
