package dev.tuneforge.app.export.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.spring.annotation.SpringComponent;
import dev.tuneforge.app.export.MergedExport;
import dev.tuneforge.app.export.MergedExportService;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.JobStatus;
import dev.tuneforge.app.finetune.ui.section.JobPageSection;
import dev.tuneforge.protocol.JobFolder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Scope;

/**
 * On a succeeded LoRA job's page: "Export merged model" queues the merge for a training node; the
 * section then shows where it stands (waiting, merging with its progress, failed with the reason),
 * offers "Cancel merge" (confirmed in a dialog) while it waits or runs, and, once done, the
 * download of the merged model and, for an architecture llama.cpp runs, its GGUF files (F16, Q8_0)
 * and an Ollama Modelfile.
 */
@SpringComponent
@Scope("prototype")
class MergedExportSection implements JobPageSection {
  private final MergedExportService merges;
  private final VerticalLayout layout = new VerticalLayout();
  private final Button start = new Button("Export merged model");
  private final Button cancel = new Button("Cancel merge");
  private final Paragraph state = new Paragraph();
  private final ProgressBar bar = new ProgressBar();
  private final Anchor download = new Anchor();
  private final Map<String, Anchor> localRuntime = new LinkedHashMap<>();
  private @Nullable UUID jobId;

  MergedExportSection(MergedExportService merges) {
    this.merges = merges;
    layout.setId("merged-export");
    layout.setPadding(false);
    start.setId("export-merged");
    state.setId("merged-export-state");
    bar.setId("merged-export-progress");
    download.setId("download-merged");
    download.setText("Download merged model (Hugging Face, safetensors)");
    download.getElement().setAttribute("download", true);
    download.setRouterIgnore(true);
    start.addClickListener(
        click -> {
          if (jobId != null) {
            try {
              showMerge(Optional.of(merges.start(jobId)));
            } catch (IllegalArgumentException refused) {
              state.setText(refused.getMessage());
            }
          }
        });
    cancel.setId("cancel-merge");
    cancel.addThemeVariants(ButtonVariant.LUMO_ERROR);
    cancel.setVisible(false);
    cancel.addClickListener(click -> confirmCancel());
    HorizontalLayout localRuntimeLinks = new HorizontalLayout();
    localRuntime.put(JobFolder.GGUF_F16, link("download-gguf-f16", "GGUF (F16)"));
    localRuntime.put(JobFolder.GGUF_Q8_0, link("download-gguf-q8_0", "GGUF (Q8_0)"));
    localRuntime.put(JobFolder.GGUF_Q4_K_M, link("download-gguf-q4_k_m", "GGUF (Q4_K_M)"));
    localRuntime.put(JobFolder.MODELFILE, link("download-modelfile", "Ollama Modelfile"));
    localRuntime.values().forEach(localRuntimeLinks::add);
    layout.add(new HorizontalLayout(start, cancel, download), localRuntimeLinks, state, bar);
  }

  /** Asks before cancelling: a cancelled merge's work is lost and it must be started again. */
  private void confirmCancel() {
    UUID job = jobId;
    if (job == null) {
      return;
    }
    Dialog dialog = new Dialog();
    dialog.setId("cancel-merge-dialog");
    dialog.setHeaderTitle("Cancel the merge?");
    dialog.add(
        new Paragraph(
            "A waiting merge ends now; a running one stops on its training node before it uploads"
                + " the merged model, and anything already uploaded is removed. You can export"
                + " the merged model again later."));
    Button confirm =
        new Button(
            "Cancel merge",
            click -> {
              dialog.close();
              try {
                showMerge(Optional.of(merges.cancel(job)));
              } catch (IllegalStateException ended) {
                showMerge(merges.find(job));
                state.setText(ended.getMessage());
              }
            });
    confirm.setId("cancel-merge-confirm");
    confirm.addThemeVariants(ButtonVariant.LUMO_ERROR);
    Button keep = new Button("Keep merging", click -> dialog.close());
    keep.setId("cancel-merge-keep");
    dialog.getFooter().add(keep, confirm);
    dialog.open();
  }

  private static Anchor link(String id, String text) {
    Anchor anchor = new Anchor();
    anchor.setId(id);
    anchor.setText(text);
    anchor.getElement().setAttribute("download", true);
    anchor.setRouterIgnore(true);
    anchor.setVisible(false);
    return anchor;
  }

  @Override
  public Component component() {
    return layout;
  }

  @Override
  public void show(FineTuneJob job) {
    jobId = job.getId();
    boolean mergeable = job.getStatus() == JobStatus.SUCCEEDED && !job.isFullFineTuning();
    layout.setVisible(mergeable);
    if (mergeable) {
      download.setHref("/finetunes/" + job.getId() + "/merged.zip");
      showMerge(merges.find(job.getId()));
    }
  }

  private void showMerge(Optional<MergedExport> found) {
    MergedExport merge = found.orElse(null);
    String status = merge == null ? null : merge.getStatus();
    start.setVisible(
        merge == null
            || MergedExport.FAILED.equals(status)
            || MergedExport.CANCELLED.equals(status));
    cancel.setVisible(merge != null && !merge.finished() && !merge.isCancelRequested());
    start.setText(merge == null ? "Export merged model" : "Export merged model again");
    download.setVisible(MergedExport.SUCCEEDED.equals(status));
    List<String> written =
        merge != null && MergedExport.SUCCEEDED.equals(status)
            ? merges.localRuntimeFiles(merge.getJobId())
            : List.of();
    localRuntime.forEach(
        (file, anchor) -> {
          anchor.setVisible(written.contains(file));
          anchor.setHref("/finetunes/" + jobId + "/" + file);
        });
    bar.setVisible(merge != null && !merge.finished());
    if (merge == null) {
      state.setText(
          "Merges the adapter into the base model on a training node: one Hugging Face model in the"
              + " base's dtype that loads without PEFT.");
      return;
    }
    if (merge.getTotal() > 0) {
      bar.setIndeterminate(false);
      bar.setValue(Math.min(1.0, merge.getDone() / (double) merge.getTotal()));
    } else {
      bar.setIndeterminate(true);
    }
    String line = merge.getMessage() == null ? "" : merge.getMessage();
    state.setText(
        switch (status) {
          case MergedExport.QUEUED -> "Merged export: " + line;
          case MergedExport.RUNNING ->
              merge.isCancelRequested()
                  ? "Merged export cancelling: its training node stops before it uploads"
                  : "Merged export running"
                      + (merge.getTotal() > 0
                          ? " (" + merge.getDone() + " of " + merge.getTotal() + " weights)"
                          : "")
                      + ": "
                      + line;
          case MergedExport.FAILED -> "Merged export failed: " + merge.getError();
          case MergedExport.CANCELLED -> "Merged export cancelled";
          default -> "Merged export ready";
        });
  }
}
