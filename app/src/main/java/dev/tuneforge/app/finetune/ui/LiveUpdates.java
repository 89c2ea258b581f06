package dev.tuneforge.app.finetune.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import dev.tuneforge.app.finetune.JobUpdates;
import dev.tuneforge.app.tenancy.TenantContext;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Subscribes a view to its tenant's job changes while it is attached. Callbacks run under the UI
 * lock with the tenant set explicitly, because push threads have no signed-in request.
 */
final class LiveUpdates {
  private LiveUpdates() {}

  static void bind(Component view, JobUpdates updates, Consumer<UUID> onJobChanged) {
    view.addAttachListener(
        (AttachEvent attach) -> {
          UI ui = attach.getUI();
          UUID tenant = TenantContext.requireTenant();
          Runnable unregister =
              updates.register(
                  tenant,
                  jobId ->
                      ui.access(
                          () -> TenantContext.runAs(tenant, () -> onJobChanged.accept(jobId))));
          view.addDetachListener(
              detach -> {
                unregister.run();
                detach.unregisterListener();
              });
        });
  }
}
