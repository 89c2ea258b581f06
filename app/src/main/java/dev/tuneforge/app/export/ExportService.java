package dev.tuneforge.app.export;

import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.evaluation.EvaluationService;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.app.tenancy.TenantContext;
import dev.tuneforge.protocol.JobFolder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * What each download of a finished job holds: the adapter (PEFT) with the base's tokenizer files,
 * the full fine-tune's model, or the merged model, each with a model card. Runs as the caller's
 * tenant: another tenant's job, or one without that download, has none (the caller answers 404).
 */
@Service
class ExportService {
  /** The base's files a user needs beside an adapter to tokenize and prompt as in training. */
  static final List<String> TOKENIZER_FILES =
      List.of(
          "tokenizer.json",
          "tokenizer_config.json",
          "special_tokens_map.json",
          "chat_template.jinja");

  private final FineTuneService fineTunes;
  private final CatalogService catalog;
  private final DatasetService datasets;
  private final EvaluationService evaluations;
  private final MergedExportService merges;
  private final ObjectStorage storage;

  ExportService(
      FineTuneService fineTunes,
      CatalogService catalog,
      DatasetService datasets,
      EvaluationService evaluations,
      MergedExportService merges,
      ObjectStorage storage) {
    this.fineTunes = fineTunes;
    this.catalog = catalog;
    this.datasets = datasets;
    this.evaluations = evaluations;
    this.merges = merges;
    this.storage = storage;
  }

  /** The adapter, the base's tokenizer files and the card; empty until a LoRA job succeeded. */
  Optional<List<ZipPart>> adapter(UUID jobId) {
    List<String> adapter = fineTunes.adapterFiles(jobId);
    if (adapter.isEmpty()) {
      return Optional.empty();
    }
    FineTuneJob job = fineTunes.find(jobId).orElseThrow();
    List<ZipPart> parts = stored(adapter);
    catalog
        .find(job.getBaseModelId())
        .ifPresent(
            model -> {
              List<String> present = catalog.files(model);
              for (String file : TOKENIZER_FILES) {
                if (present.contains(file)) {
                  String key = model.getObjectPrefix() + file;
                  parts.add(new ZipPart(file, () -> storage.open(key)));
                }
              }
            });
    parts.add(card(job, ModelCard.Kind.ADAPTER));
    return Optional.of(parts);
  }

  /** The full fine-tune's model (with the base's tokenizer files) and the card. */
  Optional<List<ZipPart>> tunedModel(UUID jobId) {
    return withCard(jobId, fineTunes.tunedModelFiles(jobId), ModelCard.Kind.TUNED_MODEL);
  }

  /**
   * The merged model (with the base's tokenizer files) and the card, once the merge succeeded; the
   * GGUF files and Modelfile beside it download on their own.
   */
  Optional<List<ZipPart>> mergedModel(UUID jobId) {
    List<String> keys =
        merges.mergedFiles(jobId).stream()
            .filter(key -> !JobFolder.LOCAL_RUNTIME_FILES.contains(fileName(key)))
            .toList();
    return withCard(jobId, keys, ModelCard.Kind.MERGED_MODEL);
  }

  /**
   * One of the {@link JobFolder#LOCAL_RUNTIME_FILES} of a succeeded merge, if it wrote that one.
   */
  Optional<ZipPart> localRuntimeFile(UUID jobId, String file) {
    return merges.mergedFiles(jobId).stream()
        .filter(key -> fileName(key).equals(file) && JobFolder.LOCAL_RUNTIME_FILES.contains(file))
        .findFirst()
        .map(key -> tenantPart(file, key));
  }

  private static String fileName(String key) {
    return key.substring(key.lastIndexOf('/') + 1);
  }

  private Optional<List<ZipPart>> withCard(UUID jobId, List<String> keys, ModelCard.Kind kind) {
    if (keys.isEmpty()) {
      return Optional.empty();
    }
    FineTuneJob job = fineTunes.find(jobId).orElseThrow();
    List<ZipPart> parts = stored(keys);
    parts.add(card(job, kind));
    return Optional.of(parts);
  }

  /** The job's stored files, less a README the base model brought: the card replaces it. */
  private List<ZipPart> stored(List<String> keys) {
    List<ZipPart> parts = new ArrayList<>();
    for (String key : keys) {
      String name = fileName(key);
      if (!name.equals(JobFolder.MODEL_CARD)) {
        parts.add(tenantPart(name, key));
      }
    }
    return parts;
  }

  private ZipPart card(FineTuneJob job, ModelCard.Kind kind) {
    Optional<BaseModel> model = catalog.find(job.getBaseModelId());
    String dataset =
        datasets
            .findVersion(job.getDatasetVersionId())
            .map(d -> d.name() + " v" + d.version())
            .orElse(null);
    String markdown =
        new ModelCard(
                job,
                model.map(BaseModel::getName).orElse("unknown"),
                model.map(BaseModel::getRevision).orElse(null),
                dataset,
                evaluations.find(job.getId()).orElse(null),
                kind)
            .markdown();
    byte[] bytes = markdown.getBytes(StandardCharsets.UTF_8);
    return new ZipPart(JobFolder.MODEL_CARD, () -> new ByteArrayInputStream(bytes));
  }

  /** A part opened later (as the zip is written) in the calling tenant's name. */
  private ZipPart tenantPart(String name, String key) {
    UUID tenant = TenantContext.requireTenant();
    return new ZipPart(name, () -> TenantContext.callAs(tenant, () -> storage.tenantOpen(key)));
  }
}
