package dev.tuneforge.app.evaluation;

import dev.tuneforge.app.apikey.ApiCaller;
import dev.tuneforge.app.apikey.ApiPage;
import dev.tuneforge.app.apikey.PublicApi;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.protocol.EvaluationExample;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A fine-tune's evaluation for scripts: the figures the evaluation page shows, read from the same
 * stored evaluation and recomputed from the same generations. Another tenant's job is not found,
 * like one that does not exist; a job without an evaluation yet answers 404 saying why.
 */
@RestController
@PublicApi
@Tag(name = "Evaluations", description = "Base vs tuned on held-out examples")
class EvaluationApiController {
  private final FineTuneService fineTunes;
  private final EvaluationService evaluations;

  EvaluationApiController(FineTuneService fineTunes, EvaluationService evaluations) {
    this.fineTunes = fineTunes;
    this.evaluations = evaluations;
  }

  @GetMapping("/api/fine-tunes/{jobId}/evaluation")
  @Operation(summary = "Base vs tuned: overall metrics, per-field scores, intervals, latency")
  EvaluationJson evaluation(@PathVariable UUID jobId) {
    StoredEvaluation stored = stored(jobId);
    Evaluation row = stored.row();
    @Nullable Confidence confidence =
        row.succeeded() ? evaluations.recompute(row).confidence() : null;
    return new EvaluationJson(
        jobId,
        row.succeeded() ? "succeeded" : "failed",
        row.getError(),
        row.getKind(),
        row.getExamples(),
        row.getDecoding(),
        row.getMaxNewTokens(),
        row.getSeconds(),
        row.getGeneratedTokens(),
        row.getCreatedAt(),
        stored.base(),
        stored.tuned(),
        stored.fields(),
        confidence,
        row.succeeded() ? evaluations.latency(row) : null,
        row.succeeded() ? evaluations.retentionScores(row) : null);
  }

  @GetMapping("/api/fine-tunes/{jobId}/evaluation/examples")
  @Operation(
      summary = "The evaluated examples with both answers and per-field marks, a page at a time",
      description =
          "filter: all, tuned_worse, tuned_better, both_wrong or invalid_json, as the page's table"
              + " filters")
  ApiPage<EvaluationJson.EvaluatedExample> evaluationExamples(
      @PathVariable UUID jobId,
      @RequestParam(defaultValue = "all") String filter,
      @RequestParam(defaultValue = "0") int offset,
      @RequestParam(defaultValue = "20") int limit) {
    ExampleRow.Filter chosen = filter(filter);
    StoredEvaluation stored = stored(jobId);
    if (!stored.row().succeeded()) {
      throw new NoSuchElementException(
          "The evaluation failed, so it has no examples: " + stored.row().getError());
    }
    List<EvaluationExample> generations = evaluations.generations(stored.row());
    List<EvaluationJson.EvaluatedExample> rows =
        ExampleRow.of(generations, evaluations.recompute(stored.row(), generations)).stream()
            .filter(chosen.keeps)
            .map(EvaluationJson.EvaluatedExample::of)
            .toList();
    return ApiPage.of(rows, offset, limit);
  }

  private StoredEvaluation stored(UUID jobId) {
    ApiCaller.requireTeam();
    FineTuneJob job =
        fineTunes.find(jobId).orElseThrow(() -> new NoSuchElementException("No such fine-tune"));
    return evaluations
        .find(jobId)
        .orElseThrow(
            () ->
                new NoSuchElementException(
                    job.getEvaluationExamples() == 0
                        ? "This fine-tune was launched without an evaluation"
                        : "No evaluation yet: it runs on the training node right after training"));
  }

  private static ExampleRow.Filter filter(String name) {
    try {
      return ExampleRow.Filter.valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "filter is one of "
              + Arrays.stream(ExampleRow.Filter.values())
                  .map(f -> f.name().toLowerCase(Locale.ROOT))
                  .toList());
    }
  }
}
