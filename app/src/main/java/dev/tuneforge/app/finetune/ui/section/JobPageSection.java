package dev.tuneforge.app.finetune.ui.section;

import com.vaadin.flow.component.Component;
import dev.tuneforge.app.finetune.FineTuneJob;

/**
 * A part of one fine-tune's page contributed by another feature: a prototype-scoped bean, one per
 * open page, redrawn with the job whenever the job (or the section's own state, announced as the
 * job's progress) changes.
 */
public interface JobPageSection {
  Component component();

  void show(FineTuneJob job);
}
