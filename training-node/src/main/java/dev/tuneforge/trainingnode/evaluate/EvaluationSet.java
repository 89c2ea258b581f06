package dev.tuneforge.trainingnode.evaluate;

import dev.tuneforge.chat.ChatDataset;
import dev.tuneforge.chat.Conversation;
import dev.tuneforge.chat.DatasetException;
import dev.tuneforge.protocol.JobFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The held-out conversations a job compares base and tuned model on: the job's {@code
 * data/evaluation.jsonl}, else its {@code data/validation.jsonl}, taken in file order so that every
 * run of the job picks the same ones.
 */
public final class EvaluationSet {

  private EvaluationSet() {}

  /** The job's evaluation file, or null when it has neither. */
  public static @Nullable Path find(Path jobDirectory) {
    for (String candidate : List.of(JobFolder.EVALUATION_DATA, JobFolder.VALIDATION_DATA)) {
      Path file = jobDirectory.resolve(candidate);
      if (Files.isRegularFile(file)) {
        return file;
      }
    }
    return null;
  }

  /** The first {@code count} conversations of a chat JSONL file. */
  public static List<EvaluationCase> first(Path file, int count) throws IOException {
    try {
      return first(ChatDataset.read(file), count);
    } catch (DatasetException e) {
      throw new DatasetException(file.getFileName() + ": " + e.getMessage());
    }
  }

  public static List<EvaluationCase> first(List<Conversation> conversations, int count) {
    List<EvaluationCase> cases = new ArrayList<>();
    for (int i = 0; i < Math.min(count, conversations.size()); i++) {
      cases.add(EvaluationCase.of(i, conversations.get(i)));
    }
    return cases;
  }
}
