package dev.tuneforge.trainingnode.evaluate;

import dev.tuneforge.protocol.EvaluationExample;
import dev.tuneforge.protocol.EvaluationSummary;
import dev.tuneforge.protocol.JobFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * The evaluation's files in the job directory: {@code evaluation/generations.jsonl}, one {@link
 * EvaluationExample} per line, and {@code evaluation/summary.json}, an {@link EvaluationSummary}.
 * Each appears whole (written aside, then renamed); the summary comes last.
 */
public final class EvaluationFiles {

  public static final String GENERATIONS = JobFolder.EVALUATION + JobFolder.GENERATIONS;
  public static final String SUMMARY = JobFolder.EVALUATION + JobFolder.SUMMARY;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private EvaluationFiles() {}

  public static void write(
      Path jobDirectory, List<EvaluationExample> examples, EvaluationSummary summary)
      throws IOException {
    StringBuilder lines = new StringBuilder();
    for (EvaluationExample example : examples) {
      lines.append(JSON.writeValueAsString(example)).append('\n');
    }
    replace(jobDirectory.resolve(GENERATIONS), lines.toString());
    replace(
        jobDirectory.resolve(SUMMARY),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary));
  }

  private static void replace(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(temporary, content, StandardCharsets.UTF_8);
    Files.move(
        temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
