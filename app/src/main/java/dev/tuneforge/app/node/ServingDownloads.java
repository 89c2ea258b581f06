package dev.tuneforge.app.node;

import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.protocol.JobFolder;
import dev.tuneforge.protocol.ModelFiles;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The files a serving node downloads for a generation, presigned as a lease's inputs are: a base
 * model's weights, config and tokenizer (cached by the node under the model's object prefix), a
 * LoRA job's adapter (cached under the job's id), or a full fine-tune's whole tuned model. Call as
 * the model's or the job's tenant. The URLs live as long as a lease's ({@link
 * NodeProperties#urlValidity()}): a node whose download storage refuses asks for the generation's
 * files again ({@code NodeApi.GENERATION_FILES}), which are signed only for the node that took it
 * while its caller waits.
 */
@Component
public class ServingDownloads {
  private final CatalogService catalog;
  private final ObjectStorage storage;
  private final Duration urlValidity;

  ServingDownloads(CatalogService catalog, ObjectStorage storage, NodeProperties properties) {
    this.catalog = catalog;
    this.storage = storage;
    this.urlValidity = properties.urlValidity();
  }

  public ModelFiles baseModel(BaseModel model) {
    Map<String, String> files = new LinkedHashMap<>();
    for (String file : LeaseFactory.trainerFiles(catalog.files(model))) {
      files.put(file, storage.presignGet(model.getObjectPrefix() + file, urlValidity));
    }
    return new ModelFiles(model.getObjectPrefix(), files);
  }

  /** A succeeded LoRA job's adapter in PEFT's layout. */
  public ModelFiles adapter(FineTuneJob job) {
    String prefix = ObjectKeys.jobAdapter(job.getTenantId(), job.getId(), job.getLeaseId());
    Map<String, String> files = new LinkedHashMap<>();
    for (String file : JobFolder.ADAPTER_FILES) {
      files.put(file, storage.presignGet(prefix + file, urlValidity));
    }
    return new ModelFiles(job.getId().toString(), files);
  }

  /** A succeeded full fine-tune's model, served as a base model of its own. */
  public ModelFiles tunedModel(FineTuneJob job, BaseModel base) {
    String prefix = ObjectKeys.jobModel(job.getTenantId(), job.getId(), job.getLeaseId());
    Map<String, String> files = new LinkedHashMap<>();
    for (String file : LeaseFactory.tunedModelFiles(catalog.files(base))) {
      files.put(file, storage.presignGet(prefix + file, urlValidity));
    }
    return new ModelFiles(prefix, files);
  }
}
