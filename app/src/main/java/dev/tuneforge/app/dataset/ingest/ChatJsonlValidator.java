package dev.tuneforge.app.dataset.ingest;

import dev.tuneforge.app.dataset.DatasetFormat;
import dev.tuneforge.app.dataset.ValidationReport;
import java.io.IOException;
import java.io.InputStream;

/**
 * Validates OpenAI chat JSONL one line at a time, so memory stays bounded whatever the file's size.
 * Blank lines are skipped; every other line must be one conversation.
 */
public final class ChatJsonlValidator {
  public static final int MAX_LISTED_PROBLEMS = DatasetNormalizer.MAX_LISTED_PROBLEMS;

  public ValidationReport validate(InputStream input) throws IOException {
    return new DatasetNormalizer(DatasetFormat.CHAT, false).normalize(input, null);
  }
}
