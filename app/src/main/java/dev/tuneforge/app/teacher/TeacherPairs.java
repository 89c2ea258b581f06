package dev.tuneforge.app.teacher;

import dev.tuneforge.app.work.WorkContext;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Preference pairs from a run's two extractions of each document, both scored by the judge: the
 * better one is chosen and the worse rejected when their scores differ by at least the run's margin
 * and the better one is acceptable (accepted by the judge, keys exactly the schema's). Stored as
 * chosen/rejected JSONL through the dataset upload, as a dataset named after the run.
 */
@Component
class TeacherPairs {
  /** A pair to store: the document, the chosen extraction (canonical) and the rejected one. */
  record Pair(String document, String chosen, String rejected) {}

  /** One extraction of a document as the judge scored it. */
  record Scored(String extraction, int score, boolean acceptable) {}

  enum Outcome {
    PAIR,
    TIE,
    WITHOUT_ACCEPTABLE
  }

  private final TeacherItemRepository items;
  private final TeacherDataset dataset;

  TeacherPairs(TeacherItemRepository items, TeacherDataset dataset) {
    this.items = items;
    this.dataset = dataset;
  }

  /**
   * What to make of two extractions: a tie when the scores are closer than {@code margin} or the
   * extractions are the same JSON (a pair of equal answers teaches nothing), no pair when the
   * better one is not acceptable, else a pair.
   */
  static Outcome decide(Scored first, Scored second, int margin) {
    if (Math.abs(first.score() - second.score()) < margin
        || json(first.extraction()).equals(json(second.extraction()))) {
      return Outcome.TIE;
    }
    Scored better = first.score() > second.score() ? first : second;
    return better.acceptable() ? Outcome.PAIR : Outcome.WITHOUT_ACCEPTABLE;
  }

  /** The run's pairs so far, in document order. */
  List<Pair> pairs(TeacherRun run) {
    return collect(run, null);
  }

  /** How the run's documents turned out as pairs so far. */
  PreferencePairs counts(TeacherRun run) {
    int[] outcomes = new int[Outcome.values().length + 1];
    collect(run, outcomes);
    return new PreferencePairs(
        outcomes[Outcome.PAIR.ordinal()],
        outcomes[Outcome.TIE.ordinal()],
        outcomes[Outcome.WITHOUT_ACCEPTABLE.ordinal()],
        outcomes[Outcome.values().length],
        run.getPreferenceMargin());
  }

  /** Stores the pairs as the next version of "{run name} (preference pairs)". */
  UUID store(WorkContext<TeacherRun> work, List<Pair> pairs) {
    TeacherRun run = work.run();
    String system = run.getSchema().systemPrompt();
    return dataset.upload(
        work,
        run.getName() + " (preference pairs)",
        "teacher-run-" + run.getId() + "-pairs.jsonl",
        out -> write(system, pairs, out));
  }

  static void write(String system, List<Pair> pairs, Writer out) throws IOException {
    for (Pair pair : pairs) {
      ObjectNode line = TeacherAnswers.JSON.createObjectNode();
      ArrayNode prompt = line.putArray("prompt");
      prompt.addObject().put("role", "system").put("content", system);
      prompt.addObject().put("role", "user").put("content", pair.document());
      line.putArray("chosen").addObject().put("role", "assistant").put("content", pair.chosen());
      line.putArray("rejected")
          .addObject()
          .put("role", "assistant")
          .put("content", pair.rejected());
      out.write(TeacherAnswers.JSON.writeValueAsString(line));
      out.write('\n');
    }
  }

  /** The pairs; with {@code counts}, each document's outcome counted (last slot: not scored). */
  private List<Pair> collect(TeacherRun run, int @Nullable [] counts) {
    ExtractionSchema schema = run.getSchema();
    Map<UUID, List<TeacherItem>> children = new HashMap<>();
    for (TeacherItem item :
        items.findByRunIdAndStageIn(
            run.getId(), List.of(Stage.JUDGE, Stage.FILTER, Stage.SAMPLE, Stage.SCORE))) {
      if (item.getParentId() != null) {
        children.computeIfAbsent(item.getParentId(), id -> new ArrayList<>()).add(item);
      }
    }
    List<Pair> pairs = new ArrayList<>();
    for (TeacherItem extraction :
        items.findByRunIdAndStageAndStatusOrderByOrdinalAscIdAsc(
            run.getId(), Stage.EXTRACTION, ItemStatus.DONE)) {
      TeacherItem judge = child(children, extraction, Stage.JUDGE);
      TeacherItem sample = child(children, extraction, Stage.SAMPLE);
      TeacherItem score = sample == null ? null : child(children, sample, Stage.SCORE);
      Integer firstScore = judge == null ? null : score(judge);
      Integer secondScore = score == null ? null : score(score);
      if (firstScore == null || secondScore == null || sample == null) {
        if (counts != null) {
          counts[Outcome.values().length]++;
        }
        continue;
      }
      TeacherItem filter = child(children, judge, Stage.FILTER);
      Scored first =
          new Scored(
              String.valueOf(extraction.getOutput()),
              firstScore,
              filter != null && filter.getStatus() == ItemStatus.DONE);
      String sampled = String.valueOf(sample.getOutput());
      Scored second =
          new Scored(
              sampled,
              secondScore,
              accepted(score) && TeacherAnswers.filterProblem(sampled, schema) == null);
      Outcome outcome = decide(first, second, run.getPreferenceMargin());
      if (counts != null) {
        counts[outcome.ordinal()]++;
      }
      if (outcome == Outcome.PAIR) {
        Scored better = first.score() > second.score() ? first : second;
        Scored worse = better == first ? second : first;
        pairs.add(
            new Pair(
                document(extraction), canonical(better.extraction(), schema), worse.extraction()));
      }
    }
    return pairs;
  }

  private static @Nullable TeacherItem child(
      Map<UUID, List<TeacherItem>> children, TeacherItem parent, Stage stage) {
    return children.getOrDefault(parent.getId(), List.of()).stream()
        .filter(item -> item.getStage() == stage)
        .findFirst()
        .orElse(null);
  }

  /** The judge's score of a settled judge or score item; null while it has none. */
  private static @Nullable Integer score(TeacherItem judged) {
    if (judged.getOutput() == null
        || judged.getStatus() == ItemStatus.PENDING
        || judged.getStatus() == ItemStatus.FAILED) {
      return null;
    }
    JsonNode score = json(judged.getOutput()).path("score");
    return score.isNumber() ? score.asInt() : null;
  }

  private static boolean accepted(TeacherItem judged) {
    return "accept".equals(json(String.valueOf(judged.getOutput())).path("verdict").asString(""));
  }

  private String document(TeacherItem extraction) {
    UUID id = extraction.getDocumentId();
    return id == null ? "" : items.findById(id).map(TeacherItem::getOutput).orElse("");
  }

  private static String canonical(String extraction, ExtractionSchema schema) {
    try {
      return TeacherAnswers.canonical(extraction, schema);
    } catch (TeacherCallFailed e) {
      return extraction;
    }
  }

  private static JsonNode json(String text) {
    return TeacherAnswers.JSON.readTree(text);
  }
}
