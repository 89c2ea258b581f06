package dev.tuneforge.app.dataset.ui;

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
import dev.tuneforge.app.dataset.DatasetRejected;
import dev.tuneforge.app.dataset.staging.StagedUploads;
import dev.tuneforge.app.dataset.staging.StagedUploads.StagedFile;
import dev.tuneforge.app.dataset.staging.StagedUploads.UploadPlan;
import dev.tuneforge.app.tenancy.TenantContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.springframework.security.concurrent.DelegatingSecurityContextRunnable;
import tools.jackson.databind.json.JsonMapper;

/**
 * A file picker whose upload goes from the browser straight to object storage in parts (see {@link
 * StagedUploads}), with a progress bar and a Cancel button. Its client logic is plain JavaScript
 * run on attach, so the prebuilt frontend bundle serves it as it is.
 */
class DirectUpload extends Div {
  private static final String SCRIPT =
      ClientScript.PART_PUT + ClientScript.load(DirectUpload.class, "direct-upload.js");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Receives the finished file off the UI thread; the receiver deletes it. */
  interface Receiver {
    void received(UI ui, StagedFile file);
  }

  private final StagedUploads uploads;
  private final Receiver receiver;
  private final BiConsumer<String, String> refused;
  private final Runnable started;
  private final Element input = new Element("input");
  private final Div progressPanel = new Div();
  private final Span fileLabel = new Span();
  private final ProgressBar bar = new ProgressBar(0, 1);
  private final Span stats = new Span();
  private final Button cancel = new Button("Cancel upload", e -> cancel());
  private @Nullable Current current;

  private record Current(UUID id, UUID tenant, String fileName, long size, Instant started) {}

  /**
   * {@code started} runs when the server accepts a file; {@code refused} shows a reason and details
   * when nothing could be stored.
   */
  DirectUpload(
      StagedUploads uploads,
      String accept,
      String dropHint,
      Runnable started,
      Receiver receiver,
      BiConsumer<String, String> refused) {
    this.uploads = uploads;
    this.started = started;
    this.receiver = receiver;
    this.refused = refused;
    input.setAttribute("type", "file");
    input.setAttribute("accept", accept);
    input.getStyle().set("display", "none");
    Button choose = new Button("Upload file…");
    choose.addClassName("choose-file");
    choose.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    Span hint = new Span(dropHint);
    hint.getStyle().set("color", "var(--lumo-secondary-text-color)");
    HorizontalLayout picker = new HorizontalLayout(choose, hint);
    picker.setAlignItems(HorizontalLayout.Alignment.CENTER);

    bar.setId("upload-progress");
    bar.setWidth("24em");
    stats.setId("upload-progress-text");
    fileLabel.getStyle().set("font-weight", "600");
    cancel.setId("cancel-direct-upload");
    cancel.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_SMALL);
    progressPanel.add(fileLabel, bar, new HorizontalLayout(stats, cancel));
    progressPanel.setVisible(false);

    getElement().appendChild(input);
    add(picker, progressPanel);
    getStyle()
        .set("border", "1px dashed var(--lumo-contrast-30pct)")
        .set("border-radius", "var(--lumo-border-radius-m)")
        .set("padding", "var(--lumo-space-s) var(--lumo-space-m)");
    addAttachListener(e -> getElement().executeJs(SCRIPT));
    addDetachListener(e -> abortCurrent());
  }

  @ClientCallable
  String start(String fileName, double size) {
    abortCurrent();
    try {
      UploadPlan plan = uploads.start(fileName, (long) size);
      current =
          new Current(
              plan.id(),
              TenantContext.requireTenant(),
              fileName,
              (long) size,
              uploads.clock().instant());
      fileLabel.setText(fileName);
      bar.setValue(0);
      stats.setText("Starting…");
      cancel.setEnabled(true);
      progressPanel.setVisible(true);
      started.run();
      return JSON.writeValueAsString(
          Map.of("partSize", plan.partSize(), "partCount", plan.partCount()));
    } catch (DatasetRejected rejected) {
      refused.accept(rejected.getMessage(), rejected.report().summary());
      return JSON.writeValueAsString(Map.of("error", rejected.getMessage()));
    } catch (RuntimeException e) {
      refused.accept("The upload could not start: " + e.getMessage(), "");
      return JSON.writeValueAsString(Map.of("error", String.valueOf(e.getMessage())));
    }
  }

  @ClientCallable
  String partUrls(int first, int count) {
    Current upload = current;
    if (upload == null) {
      throw new IllegalStateException("No upload is under way");
    }
    return JSON.writeValueAsString(uploads.partUrls(upload.id(), first, count));
  }

  @ClientCallable
  void progress(double bytes) {
    Current upload = current;
    if (upload == null) {
      return;
    }
    double seconds =
        Math.max(
            0.001,
            Duration.between(upload.started(), uploads.clock().instant()).toMillis() / 1000.0);
    bar.setValue(Math.min(1, bytes / upload.size()));
    stats.setText(
        String.format(
            "%s of %s MB · %d %% · %s MB/s",
            mb(bytes),
            mb(upload.size()),
            (int) Math.floor(100 * bytes / upload.size()),
            mb(bytes / seconds)));
  }

  /**
   * All parts are in storage: joins, copies and hands the file on off the UI thread, as an upload
   * request would.
   */
  @ClientCallable
  void finished() {
    Current upload = current;
    if (upload == null) {
      return;
    }
    current = null;
    cancel.setEnabled(false);
    stats.setText(stats.getText() + " · checking the file…");
    UI ui = UI.getCurrent();
    Thread.startVirtualThread(
        new DelegatingSecurityContextRunnable(
            () -> {
              StagedFile file;
              try {
                file = uploads.finish(upload.id());
              } catch (DatasetRejected rejected) {
                ui.access(() -> refused.accept(rejected.getMessage(), rejected.report().summary()));
                return;
              } catch (RuntimeException e) {
                ui.access(
                    () ->
                        refused.accept("The upload could not be finished: " + e.getMessage(), ""));
                return;
              }
              ui.access(
                  () ->
                      stats.setText(
                          stats.getText().replace(" · checking the file…", " · uploaded")));
              receiver.received(ui, file);
            }));
  }

  @ClientCallable
  void failed(String message) {
    abortCurrent();
    progressPanel.setVisible(false);
    refused.accept("The upload failed", message);
  }

  /** Stops the browser's requests first, so that no part lands after the abort, then aborts. */
  private void cancel() {
    Current upload = current;
    if (upload == null) {
      return;
    }
    cancel.setEnabled(false);
    stats.setText("Cancelling…");
    ClientScript.stopUpload(getElement(), () -> cancelled(upload));
  }

  private void cancelled(Current upload) {
    if (current == upload) {
      abortCurrent();
    }
    stats.setText("Cancelled; nothing was stored.");
  }

  private void abortCurrent() {
    Current upload = current;
    current = null;
    if (upload != null) {
      TenantContext.runAs(upload.tenant(), () -> uploads.abort(upload.id()));
    }
  }

  private static String mb(double bytes) {
    return String.format("%.1f", bytes / 1_048_576.0);
  }
}
