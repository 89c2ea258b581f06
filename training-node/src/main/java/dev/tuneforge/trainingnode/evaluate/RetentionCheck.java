package dev.tuneforge.trainingnode.evaluate;

import dev.tuneforge.chat.ChatDataset;
import dev.tuneforge.chat.Conversation;
import dev.tuneforge.chat.DatasetException;
import dev.tuneforge.protocol.EvaluationExample;
import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.JobFolder;
import dev.tuneforge.protocol.RetentionExample;
import dev.tuneforge.protocol.TrainingOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Whether the tuned model kept its general ability: base and tuned answer a general-ability set,
 * the team's own ({@code data/retention.jsonl}) or the node's built-in one of short generic
 * instructions with exact answers, greedily as in the evaluation, and each model's loss on every
 * expected answer is measured. The answers and losses go to {@code evaluation/retention.jsonl}; the
 * app scores them. Like the evaluation, it never fails the job.
 */
public final class RetentionCheck {

  /** The built-in set: arithmetic, capitals, unit conversions and simple rewriting. */
  static final String BUILT_IN = "general-ability.jsonl";

  /** The answers of the built-in set are a few tokens; a long one is already wrong. */
  static final int BUILT_IN_MAX_NEW_TOKENS = 16;

  public static final String FILE = JobFolder.EVALUATION + JobFolder.RETENTION;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private RetentionCheck() {}

  /** Runs the check the options ask for, if any; false when it could not run. */
  public static boolean run(
      Path jobDirectory,
      TrainingOptions options,
      ModelComparison.Builder comparison,
      Consumer<JobEvent> events) {
    String set = options.retention();
    if (set == null) {
      return true;
    }
    try {
      List<Conversation> conversations = conversations(jobDirectory, set);
      List<EvaluationCase> cases = EvaluationSet.first(conversations, conversations.size());
      if (TrainingOptions.RETENTION_BUILTIN.equals(set)) {
        comparison.optMaxNewTokens(Math.min(comparison.maxNewTokens(), BUILT_IN_MAX_NEW_TOKENS));
      }
      long started = System.nanoTime();
      ModelComparison.Result result =
          comparison.optProgress((done, total) -> {}).build().compare(cases);
      write(jobDirectory, result);
      events.accept(
          JobEvent.log(
              String.format(
                  Locale.ROOT,
                  "retention check: base and tuned answered %d items of the %s general-ability set in %.1f s",
                  result.examples().size(),
                  TrainingOptions.RETENTION_BUILTIN.equals(set) ? "built-in" : "team's",
                  (System.nanoTime() - started) / 1e9)));
      return true;
    } catch (Exception | OutOfMemoryError e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      events.accept(
          JobEvent.log("retention check failed: " + message + "; the adapter is not affected"));
      return false;
    }
  }

  static List<Conversation> conversations(Path jobDirectory, String set) throws IOException {
    if (TrainingOptions.RETENTION_BUILTIN.equals(set)) {
      return builtIn();
    }
    if (!TrainingOptions.RETENTION_DATASET.equals(set)) {
      throw new IllegalArgumentException(
          "unknown retention set \"" + set + "\"; known: builtin, dataset");
    }
    Path file = jobDirectory.resolve(JobFolder.RETENTION_DATA);
    try {
      return ChatDataset.read(file);
    } catch (DatasetException e) {
      throw new DatasetException("retention set: " + e.getMessage());
    }
  }

  /** The built-in general-ability set, as the node ships it. */
  public static List<Conversation> builtIn() throws IOException {
    try (InputStream in = RetentionCheck.class.getResourceAsStream(BUILT_IN)) {
      if (in == null) {
        throw new IOException("the built-in general-ability set is missing from the node");
      }
      List<Conversation> conversations = new ArrayList<>();
      BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      int number = 0;
      while ((line = lines.readLine()) != null) {
        number++;
        if (!line.isBlank()) {
          conversations.add(ChatDataset.parse(number, line));
        }
      }
      return conversations;
    }
  }

  private static void write(Path jobDirectory, ModelComparison.Result result) throws IOException {
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < result.examples().size(); i++) {
      EvaluationExample e = result.examples().get(i);
      ModelComparison.ExampleLoss loss = result.losses().get(i);
      RetentionExample line =
          new RetentionExample(
              e.index(),
              e.prompt(),
              e.expected(),
              e.baseOutput(),
              e.tunedOutput(),
              loss.base(),
              loss.tuned(),
              loss.tokens());
      lines.append(JSON.writeValueAsString(line)).append('\n');
    }
    Path file = jobDirectory.resolve(FILE);
    Files.createDirectories(file.getParent());
    Files.writeString(file, lines.toString(), StandardCharsets.UTF_8);
  }
}
