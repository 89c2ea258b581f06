package dev.tuneforge.app.teacher;

import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.work.WorkContext;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a run's kept rows into canonical chat JSONL (system: the schema prompt, user: the document,
 * assistant: the extraction) and stores it through {@link DatasetService} as a new version of the
 * dataset named after the run, on behalf of the user who launched it.
 */
@Component
class TeacherDataset {
  private final DatasetService datasets;
  private final TeacherItemRepository items;

  TeacherDataset(DatasetService datasets, TeacherItemRepository items) {
    this.datasets = datasets;
    this.items = items;
  }

  /** Writes one chat row per kept filter item, in the run's order. */
  void write(TeacherRun run, List<TeacherItem> kept, Writer out) throws IOException {
    String system = run.getSchema().systemPrompt();
    for (TeacherItem row : kept) {
      UUID documentId = row.getDocumentId();
      String document =
          documentId == null
              ? null
              : items.findById(documentId).map(TeacherItem::getOutput).orElse(null);
      if (document == null || row.getOutput() == null) {
        continue;
      }
      ObjectNode line = TeacherAnswers.JSON.createObjectNode();
      ArrayNode messages = line.putArray("messages");
      messages.addObject().put("role", "system").put("content", system);
      messages.addObject().put("role", "user").put("content", document);
      messages.addObject().put("role", "assistant").put("content", row.getOutput());
      out.write(TeacherAnswers.JSON.writeValueAsString(line));
      out.write('\n');
    }
  }

  /**
   * Stores the rows as a dataset version in the name of the user who launched the run, and returns
   * its id.
   */
  UUID store(WorkContext<TeacherRun> work, List<TeacherItem> kept) {
    TeacherRun run = work.run();
    return upload(
        work, run.getName(), "teacher-run-" + run.getId() + ".jsonl", out -> write(run, kept, out));
  }

  /** What writes a dataset file's lines. */
  interface Lines {
    void write(Writer out) throws IOException;
  }

  /**
   * Writes a JSONL file and stores it through {@link DatasetService#upload} as the next version of
   * {@code name}, in the name of the user who launched the run, with the upload's validation;
   * returns the version's id.
   */
  UUID upload(WorkContext<TeacherRun> work, String name, String fileName, Lines lines) {
    Path file;
    try {
      file = Files.createTempFile("tuneforge-teacher-", ".jsonl");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        lines.write(out);
      }
      return work.asActingUser(() -> datasets.upload(name, fileName, file).versionId());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      file.toFile().delete();
    }
  }
}
