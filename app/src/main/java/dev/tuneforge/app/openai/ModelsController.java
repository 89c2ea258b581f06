package dev.tuneforge.app.openai;

import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.finetune.FineTunedModelName;
import dev.tuneforge.app.finetune.JobStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * OpenAI's models: the base models the caller may fine-tune (by catalogue name, owned by {@code
 * tuneforge} or by the tenant that imported them) and the tenant's tuned models, named {@code
 * ft:BASE:TENANT:SUFFIX:ID}.
 */
@RestController
@RequestMapping("/v1/models")
class ModelsController {
  private final CatalogService catalog;
  private final FineTuneService fineTunes;
  private final ModelNames names;

  ModelsController(CatalogService catalog, FineTuneService fineTunes, ModelNames names) {
    this.catalog = catalog;
    this.fineTunes = fineTunes;
    this.names = names;
  }

  /** OpenAI's model object. */
  record ModelObject(String id, String object, long created, String owned_by) {}

  record ModelList(String object, List<ModelObject> data) {}

  @GetMapping
  ModelList list() {
    List<ModelObject> models = new ArrayList<>();
    catalog.offered().forEach(m -> models.add(base(m)));
    fineTunes.list().stream()
        .filter(job -> job.getStatus() == JobStatus.SUCCEEDED)
        .forEach(job -> models.add(tuned(job)));
    return new ModelList("list", models);
  }

  /** A model by its name; a base model's name may hold a slash ({@code Qwen/Qwen3-0.6B}). */
  @GetMapping("/{*model}")
  ModelObject retrieve(@PathVariable String model) {
    String name = model.startsWith("/") ? model.substring(1) : model;
    Optional<FineTunedModelName> tuned = FineTunedModelName.parse(name);
    if (tuned.isPresent()) {
      return fineTunes
          .find(tuned.get().jobId())
          .filter(job -> job.getStatus() == JobStatus.SUCCEEDED)
          .filter(job -> names.name(job).toString().equals(name))
          .map(this::tuned)
          .orElseThrow(() -> OpenAiException.notFound("model", name, "model"));
    }
    return catalog
        .findByName(name)
        .map(this::base)
        .orElseThrow(() -> OpenAiException.notFound("model", name, "model"));
  }

  private ModelObject base(BaseModel model) {
    return new ModelObject(
        model.getName(),
        "model",
        model.getCreatedAt().getEpochSecond(),
        model.isPlatformModel() ? "tuneforge" : names.owner());
  }

  private ModelObject tuned(FineTuneJob job) {
    return new ModelObject(
        names.name(job).toString(),
        "model",
        job.getFinishedAt() == null
            ? job.getCreatedAt().getEpochSecond()
            : job.getFinishedAt().getEpochSecond(),
        names.owner());
  }
}
