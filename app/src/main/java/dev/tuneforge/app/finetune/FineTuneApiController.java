package dev.tuneforge.app.finetune;

import dev.tuneforge.app.apikey.ApiCaller;
import dev.tuneforge.app.apikey.ApiPage;
import dev.tuneforge.app.apikey.PublicApi;
import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.usage.EstimateService;
import dev.tuneforge.app.usage.UsageProperties;
import dev.tuneforge.app.usage.UsageRecord;
import dev.tuneforge.app.usage.UsageService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The team's fine-tunes for scripts, newest first, and one with its settings, lineage and cost.
 * Another tenant's job is not found, like one that does not exist.
 */
@RestController
@PublicApi
@Tag(name = "Fine-tunes", description = "The team's fine-tunes, as the Fine-tunes pages show them")
class FineTuneApiController {
  private final FineTuneService fineTunes;
  private final CatalogService catalog;
  private final UsageService usage;
  private final EstimateService estimates;
  private final UsageProperties usageProperties;
  private final Clock clock;

  FineTuneApiController(
      FineTuneService fineTunes,
      CatalogService catalog,
      UsageService usage,
      EstimateService estimates,
      UsageProperties usageProperties,
      Clock clock) {
    this.fineTunes = fineTunes;
    this.catalog = catalog;
    this.usage = usage;
    this.estimates = estimates;
    this.usageProperties = usageProperties;
    this.clock = clock;
  }

  @GetMapping("/api/fine-tunes")
  @Operation(summary = "The team's fine-tunes, newest first, a page at a time")
  ApiPage<FineTuneJson.FineTuneLine> fineTunes(
      @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "20") int limit) {
    ApiCaller.requireTeam();
    return ApiPage.of(
        fineTunes.list().stream().map(FineTuneJson.FineTuneLine::of).toList(), offset, limit);
  }

  @GetMapping("/api/fine-tunes/{jobId}")
  @Operation(summary = "One fine-tune: status, settings, lineage and cost")
  FineTuneJson fineTune(@PathVariable UUID jobId) {
    ApiCaller.requireTeam();
    FineTuneJob job = fineTunes.find(jobId).orElseThrow(FineTuneApiController::notFound);
    List<FineTuneJson.JobContinuation> continuedBy =
        fineTunes.continuedBy(jobId).stream()
            .map(
                next ->
                    new FineTuneJson.JobContinuation(
                        next.getId(), next.getLabel(), next.getContinuedFromStep()))
            .toList();
    return new FineTuneJson(
        job.getId(),
        job.getLabel(),
        job.getSuffix(),
        job.getStatus().wire(),
        job.getHoldReason(),
        job.getError(),
        job.isPausedByUser(),
        job.getBaseModelId(),
        catalog.find(job.getBaseModelId()).map(BaseModel::getName).orElse("unknown"),
        job.getDatasetVersionId(),
        job.getEvaluationDatasetVersionId(),
        job.getSteps(),
        job.getTrainedTokens(),
        job.getCreatedAt(),
        job.getStartedAt(),
        job.getFinishedAt(),
        FineTuneJson.TrainingSettings.of(job),
        new FineTuneJson.JobLineage(
            job.getContinuedFromJobId(), job.getContinuedFromStep(), continuedBy),
        cost(jobId));
  }

  private FineTuneJson.JobCost cost(UUID jobId) {
    Instant now = clock.instant();
    List<UsageRecord> segments = usage.segments(jobId);
    return new FineTuneJson.JobCost(
        usageProperties.currency(),
        segments.stream().map(s -> s.costAt(now)).reduce(BigDecimal.ZERO, BigDecimal::add),
        segments.stream().mapToLong(s -> s.secondsAt(now)).sum(),
        estimates.comparison(jobId).orElse(null));
  }

  /** The answer for a job the caller's team does not have. */
  static NoSuchElementException notFound() {
    return new NoSuchElementException("No such fine-tune");
  }
}
