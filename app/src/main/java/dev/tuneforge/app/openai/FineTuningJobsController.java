package dev.tuneforge.app.openai;

import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.finetune.FineTunedModelName;
import dev.tuneforge.app.finetune.JobStatus;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * OpenAI's fine-tuning jobs on the fine-tune service: create, list, retrieve, cancel, pause,
 * resume, events and checkpoints. Another tenant's job answers 404, as one that does not exist.
 */
@RestController
@RequestMapping("/v1/fine_tuning/jobs")
class FineTuningJobsController {
  private static final String WHAT = "fine-tuning job";
  private static final String PARAM = "fine_tuning_job_id";

  private final FineTuneService fineTunes;
  private final CatalogService catalog;
  private final DatasetService datasets;
  private final ModelNames names;
  private final JobMetadataRepository metadata;
  private final IdempotencyKeys idempotency;
  private final JsonMapper json;

  FineTuningJobsController(
      FineTuneService fineTunes,
      CatalogService catalog,
      DatasetService datasets,
      ModelNames names,
      JobMetadataRepository metadata,
      IdempotencyKeys idempotency,
      JsonMapper json) {
    this.fineTunes = fineTunes;
    this.catalog = catalog;
    this.datasets = datasets;
    this.names = names;
    this.metadata = metadata;
    this.idempotency = idempotency;
    this.json = json;
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<?> create(
      @RequestBody byte[] body,
      @RequestHeader(name = IdempotencyKeys.HEADER, required = false) @Nullable String key) {
    JsonNode request;
    try {
      request = json.readTree(body);
    } catch (JacksonException e) {
      throw OpenAiException.invalid(
          "The request body is not JSON: " + e.getOriginalMessage(), null);
    }
    return idempotency.answer(
        key, "fine_tuning.jobs", body, () -> ResponseEntity.ok(create(request)));
  }

  private JobObject create(JsonNode body) {
    JobCreation creation =
        JobCreation.read(
            body,
            new JobCreation.Lookup() {
              @Override
              public @Nullable UUID baseModel(String name) {
                return catalog
                    .findByName(name)
                    .filter(m -> !m.isRetired())
                    .map(BaseModel::getId)
                    .orElse(null);
              }

              @Override
              public @Nullable UUID file(String fileId) {
                UUID id;
                try {
                  id = OpenAiIds.parse(OpenAiIds.FILE, fileId, "file", "file");
                } catch (OpenAiException notAFileId) {
                  return null;
                }
                return datasets.findVersion(id).map(DatasetSummary::versionId).orElse(null);
              }

              @Override
              public JobCreation.@Nullable Continuation tunedModel(String name) {
                return FineTunedModelName.parse(name)
                    .flatMap(parsed -> fineTunes.find(parsed.jobId()))
                    .filter(job -> job.getStatus() == JobStatus.SUCCEEDED)
                    .filter(job -> names.name(job).toString().equals(name))
                    .map(
                        job ->
                            new JobCreation.Continuation(
                                job.getId(),
                                job.getBaseModelId(),
                                job.getLoraR(),
                                job.getLoraAlpha(),
                                job.getLoraDropout(),
                                job.getTargetModules(),
                                job.getMethod()))
                    .orElse(null);
              }
            });
    FineTuneJob job = fineTunes.create(creation.request(), creation.suffix());
    if (creation.metadata() != null) {
      metadata.save(new JobMetadata(job.getId(), json.writeValueAsString(creation.metadata())));
    }
    return object(job);
  }

  @GetMapping
  ListPage<JobObject> list(
      @RequestParam(required = false) @Nullable String after,
      @RequestParam(defaultValue = "20") int limit) {
    List<FineTuneJob> all = fineTunes.list();
    ListPage<FineTuneJob> page = ListPage.of(all, job -> OpenAiIds.job(job.getId()), after, limit);
    return ListPage.page(
        page.data().stream().map(this::object).toList(), JobObject::id, page.hasMore());
  }

  @GetMapping("/{jobId}")
  JobObject retrieve(@PathVariable String jobId) {
    return object(job(jobId));
  }

  @PostMapping("/{jobId}/cancel")
  JobObject cancel(@PathVariable String jobId) {
    FineTuneJob job = job(jobId);
    if (job.getStatus().finished()) {
      throw new IllegalStateException(
          "The job has already "
              + job.getStatus().wire()
              + "; only an unfinished job is cancelled");
    }
    fineTunes.cancel(job.getId());
    return object(job(jobId));
  }

  @PostMapping("/{jobId}/pause")
  JobObject pause(@PathVariable String jobId) {
    return object(fineTunes.pause(job(jobId).getId()));
  }

  @PostMapping("/{jobId}/resume")
  JobObject resume(@PathVariable String jobId) {
    return object(fineTunes.resume(job(jobId).getId()));
  }

  /** The job's events, newest first, as OpenAI lists them; {@code after} pages to older ones. */
  @GetMapping("/{jobId}/events")
  ListPage<EventObject> events(
      @PathVariable String jobId,
      @RequestParam(required = false) @Nullable String after,
      @RequestParam(defaultValue = "20") int limit) {
    FineTuneJob job = job(jobId);
    ListPage.checkLimit(limit);
    Long before = null;
    if (after != null) {
      before = EventObject.parse(after);
      if (before == null) {
        throw OpenAiException.invalid("after is not an event id: '" + after + "'", "after");
      }
    }
    List<EventObject> events =
        fineTunes.eventsBefore(job.getId(), before, limit + 1).stream()
            .map(EventObject::of)
            .toList();
    return ListPage.page(
        events.subList(0, Math.min(limit, events.size())), EventObject::id, events.size() > limit);
  }

  /** The job's checkpoints, newest first, with their metrics. */
  @GetMapping("/{jobId}/checkpoints")
  ListPage<CheckpointObject> checkpoints(
      @PathVariable String jobId,
      @RequestParam(required = false) @Nullable String after,
      @RequestParam(defaultValue = "10") int limit) {
    FineTuneJob job = job(jobId);
    String model = names.name(job).toString();
    List<CheckpointObject> all =
        fineTunes.checkpoints(job.getId()).reversed().stream()
            .map(c -> CheckpointObject.of(job.getId(), model, c))
            .toList();
    return ListPage.of(all, CheckpointObject::id, after, limit);
  }

  private FineTuneJob job(String jobId) {
    UUID id = OpenAiIds.parse(OpenAiIds.JOB, jobId, WHAT, PARAM);
    return fineTunes.find(id).orElseThrow(() -> OpenAiException.notFound(WHAT, jobId, PARAM));
  }

  private JobObject object(FineTuneJob job) {
    Map<String, String> attached =
        metadata
            .findById(job.getId())
            .map(m -> json.readValue(m.getMetadata(), new TypeReference<Map<String, String>>() {}))
            .orElse(null);
    return JobObject.of(job, names.base(job), names.tuned(job), names.owner(), attached);
  }
}
