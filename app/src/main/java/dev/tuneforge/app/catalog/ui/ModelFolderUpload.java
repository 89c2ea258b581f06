package dev.tuneforge.app.catalog.ui;

import com.vaadin.flow.component.ClientCallable;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.dom.Element;
import dev.tuneforge.app.base.ui.ClientScript;
import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.catalog.ModelImport;
import dev.tuneforge.app.catalog.ModelUploads;
import dev.tuneforge.app.catalog.ModelUploads.FilePlan;
import dev.tuneforge.app.catalog.ModelUploads.FileToSend;
import dev.tuneforge.app.catalog.ModelUploads.SentFile;
import dev.tuneforge.app.catalog.ModelUploads.UploadPlan;
import dev.tuneforge.modelformat.folder.ModelRejectedException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.security.concurrent.DelegatingSecurityContextRunnable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A folder picker whose files go from the browser straight to object storage in parts (see {@link
 * ModelUploads}), with a progress bar and a Cancel button. After an interruption, choosing the same
 * folder again resumes: parts storage holds are not sent twice. When every part is in, the folder
 * is inspected and the model registered, or refused with the file and the reason and deleted.
 */
class ModelFolderUpload extends Div {
  private static final String SCRIPT =
      ClientScript.PART_PUT + ClientScript.load(ModelFolderUpload.class, "model-folder-upload.js");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final ModelUploads uploads;
  private final Supplier<ModelImport> request;
  private final Consumer<BaseModel> registered;
  private final Consumer<String> outcome;
  private final ProgressBar bar = new ProgressBar(0, 1);
  private final Span stats = new Span();
  private final Button cancel = new Button("Cancel upload", e -> cancel());
  private @Nullable Current current;

  private record Current(UploadPlan plan, ModelImport request, List<FileToSend> files, long size) {}

  ModelFolderUpload(
      ModelUploads uploads,
      Supplier<ModelImport> request,
      Consumer<BaseModel> registered,
      Consumer<String> outcome) {
    this.uploads = uploads;
    this.request = request;
    this.registered = registered;
    this.outcome = outcome;
    setId("model-folder-upload");
    Element input = new Element("input");
    input.setAttribute("type", "file");
    input.setAttribute("webkitdirectory", "");
    input.setAttribute("multiple", "");
    input.getStyle().set("display", "none");
    Button choose = new Button("Upload a model folder…");
    choose.addClassName("choose-folder");
    bar.setId("model-upload-progress");
    bar.setWidth("24em");
    stats.setId("model-upload-progress-text");
    cancel.setId("cancel-model-upload");
    cancel.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_SMALL);
    cancel.setEnabled(false);
    getElement().appendChild(input);
    add(choose, bar, new HorizontalLayout(stats, cancel));
    addAttachListener(e -> getElement().executeJs(SCRIPT));
    addDetachListener(e -> abortCurrent());
  }

  @ClientCallable
  String start(String filesJson) {
    List<FileToSend> files = JSON.readValue(filesJson, new TypeReference<List<FileToSend>>() {});
    try {
      ModelImport wanted = request.get();
      Current resumed = current;
      if (resumed == null || !resumed.files().equals(files) || !resumed.request().equals(wanted)) {
        abortCurrent();
        UploadPlan plan = uploads.start(wanted, files);
        current =
            new Current(plan, wanted, files, files.stream().mapToLong(FileToSend::size).sum());
      }
      cancel.setEnabled(true);
      stats.setText("Starting…");
      return JSON.writeValueAsString(current.plan());
    } catch (ModelRejectedException rejected) {
      outcome.accept("Refused: " + rejected.file() + ": " + rejected.reason());
      return JSON.writeValueAsString(Map.of("error", rejected.getMessage()));
    } catch (RuntimeException e) {
      outcome.accept("Refused: " + e.getMessage());
      return JSON.writeValueAsString(Map.of("error", String.valueOf(e.getMessage())));
    }
  }

  @ClientCallable
  String sentParts(String name) {
    Current upload = current;
    if (upload == null) {
      return "[]";
    }
    return JSON.writeValueAsString(
        uploads.sentParts(upload.plan().id(), sent(upload, name)).stream()
            .map(p -> p.number())
            .toList());
  }

  @ClientCallable
  void progress(double bytes) {
    Current upload = current;
    if (upload == null) {
      return;
    }
    double share = upload.size() == 0 ? 1 : Math.min(1, bytes / upload.size());
    bar.setValue(share);
    stats.setText(
        String.format(
            Locale.ROOT,
            "%.1f of %.1f MB · %d %%",
            bytes / 1_048_576.0,
            upload.size() / 1_048_576.0,
            (int) Math.floor(100 * share)));
  }

  /** Every part is in storage: joins and inspects off the UI thread. */
  @ClientCallable
  void finished() {
    Current upload = current;
    if (upload == null) {
      return;
    }
    current = null;
    cancel.setEnabled(false);
    stats.setText(stats.getText() + " · checking the model…");
    UI ui = UI.getCurrent();
    List<SentFile> files = upload.plan().files().stream().map(ModelFolderUpload::sent).toList();
    Thread.startVirtualThread(
        new DelegatingSecurityContextRunnable(
            () -> {
              try {
                BaseModel model = uploads.complete(upload.plan().id(), upload.request(), files);
                ui.access(() -> registered.accept(model));
              } catch (ModelRejectedException rejected) {
                ui.access(
                    () -> outcome.accept("Refused: " + rejected.file() + ": " + rejected.reason()));
              } catch (RuntimeException e) {
                ui.access(() -> outcome.accept("Refused: " + e.getMessage()));
              }
            }));
  }

  @ClientCallable
  void failed(String message) {
    stats.setText("The upload stopped (" + message + "); choose the same folder again to resume.");
  }

  private void cancel() {
    cancel.setEnabled(false);
    stats.setText("Cancelling…");
    getElement()
        .executeJs("return this.$tfCancel && this.$tfCancel()")
        .then(done -> cancelled(), failure -> cancelled());
  }

  private void cancelled() {
    abortCurrent();
    bar.setValue(0);
    stats.setText("Cancelled; nothing was stored.");
  }

  private void abortCurrent() {
    Current upload = current;
    current = null;
    if (upload != null) {
      uploads.abort(
          upload.plan().id(), upload.plan().files().stream().map(ModelFolderUpload::sent).toList());
    }
  }

  private static SentFile sent(FilePlan plan) {
    return new SentFile(plan.name(), plan.uploadId());
  }

  private static SentFile sent(Current upload, String name) {
    return upload.plan().files().stream()
        .filter(f -> f.name().equals(name))
        .map(ModelFolderUpload::sent)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(name + " is not part of this upload"));
  }
}
