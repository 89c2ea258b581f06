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
import dev.tuneforge.app.catalog.ModelUploads.FileToSend;
import dev.tuneforge.app.catalog.ModelUploads.PendingUpload;
import dev.tuneforge.app.catalog.ModelUploads.UploadPlan;
import dev.tuneforge.modelformat.folder.ModelRejectedException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.security.concurrent.DelegatingSecurityContextRunnable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A folder picker whose files go from the browser straight to object storage in parts (see {@link
 * ModelUploads}), with a progress bar and a Cancel button. An upload outlives the page: after a
 * reload (or an interruption) it is offered for resuming, and choosing the same folder again sends
 * only the parts storage lacks. When every part is in, the folder is inspected and the model
 * registered, or refused with the file and the reason and deleted.
 */
class ModelFolderUpload extends Div {
  private static final String SCRIPT =
      ClientScript.PART_PUT + ClientScript.load(ModelFolderUpload.class, "model-folder-upload.js");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final ModelUploads uploads;
  private final Supplier<ModelImport> request;
  private final Consumer<BaseModel> registered;
  private final Consumer<String> outcome;
  private final Div offers = new Div();
  private final ProgressBar bar = new ProgressBar(0, 1);
  private final Span stats = new Span();
  private final Button cancel = new Button("Cancel upload", e -> cancel());
  private @Nullable PendingUpload resuming;
  private @Nullable Current current;

  private record Current(UUID id, ModelImport request, List<FileToSend> files, long size) {}

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
    offers.setId("model-upload-resume");
    bar.setId("model-upload-progress");
    bar.setWidth("24em");
    stats.setId("model-upload-progress-text");
    cancel.setId("cancel-model-upload");
    cancel.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_SMALL);
    cancel.setEnabled(false);
    getElement().appendChild(input);
    add(offers, choose, bar, new HorizontalLayout(stats, cancel));
    addAttachListener(
        e -> {
          getElement().executeJs(SCRIPT);
          showOffers();
        });
  }

  @ClientCallable
  String start(String filesJson) {
    List<FileToSend> files = JSON.readValue(filesJson, new TypeReference<List<FileToSend>>() {});
    long size = files.stream().mapToLong(FileToSend::size).sum();
    PendingUpload chosen = resuming;
    resuming = null;
    try {
      ModelImport wanted = chosen == null ? request.get() : chosen.request();
      Current previous = current;
      UploadPlan plan;
      if (chosen != null) {
        plan = uploads.resume(chosen.id(), files);
      } else if (previous != null && previous.files().equals(files)) {
        // The same folder after a stop: the upload goes on under the id it started with.
        wanted = previous.request();
        plan = uploads.resume(previous.id(), files);
      } else {
        abortCurrent();
        plan = uploads.start(wanted, files);
      }
      current = new Current(plan.id(), wanted, files, size);
      showOffers();
      cancel.setEnabled(true);
      stats.setText("Starting…");
      return JSON.writeValueAsString(plan);
    } catch (ModelRejectedException rejected) {
      if (chosen != null) {
        resuming = chosen;
      }
      outcome.accept(
          (chosen == null ? "Refused: " : "Cannot resume: ")
              + rejected.file()
              + ": "
              + rejected.reason());
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
        uploads.sentParts(upload.id(), name).stream().map(p -> p.number()).toList());
  }

  /** A fresh URL for one part, asked for just before it is sent: part URLs last minutes. */
  @ClientCallable
  String partUrl(String name, int part) {
    Current upload = current;
    if (upload == null) {
      return "";
    }
    return uploads.partUrls(upload.id(), name, part, part).getFirst();
  }

  @ClientCallable
  void partSent(String name, double size) {
    Current upload = current;
    if (upload != null) {
      uploads.partSent(upload.id(), name, (long) size);
    }
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
    Thread.startVirtualThread(
        new DelegatingSecurityContextRunnable(
            () -> {
              try {
                BaseModel model = uploads.complete(upload.id());
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

  /** Lists the importer's unfinished uploads, each with Resume and Cancel. */
  private void showOffers() {
    offers.removeAll();
    Current running = current;
    for (PendingUpload pending : uploads.pending()) {
      if (running != null && running.id().equals(pending.id())) {
        continue;
      }
      Button resume =
          new Button(
              String.format(
                  Locale.ROOT,
                  "Resume upload of %s (%d of %d files, %s of %s)",
                  pending.request().name(),
                  pending.filesDone(),
                  pending.files(),
                  Sizes.bytes(pending.bytesDone()),
                  Sizes.bytes(pending.bytes())),
              e -> resume(pending));
      resume.addClassName("resume-model-upload");
      Button discard = new Button("Cancel", e -> discard(pending));
      discard.addClassName("cancel-pending-upload");
      discard.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
      offers.add(new HorizontalLayout(resume, discard));
    }
  }

  private void resume(PendingUpload pending) {
    resuming = pending;
    stats.setText("Choose the folder of " + pending.request().name() + " again to resume.");
    getElement().executeJs("this.$tfPick && this.$tfPick()");
  }

  private void discard(PendingUpload pending) {
    if (resuming != null && resuming.id().equals(pending.id())) {
      resuming = null;
    }
    uploads.abort(pending.id());
    stats.setText("Cancelled; nothing was stored.");
    showOffers();
  }

  private void cancel() {
    cancel.setEnabled(false);
    stats.setText("Cancelling…");
    ClientScript.stopUpload(getElement(), this::cancelled);
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
      uploads.abort(upload.id());
    }
  }
}
