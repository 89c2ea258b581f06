package dev.tuneforge.app.account.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.textfield.TextField;
import dev.tuneforge.app.tenancy.Tenant;
import dev.tuneforge.app.tenancy.TenantService;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Deleting the tenant selected in the tenants table, confirmed by typing its name, and undoing that
 * during the grace period. Platform admins only.
 */
final class TenantDeletionActions extends HorizontalLayout {
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  TenantDeletionActions(
      TenantService tenants, Supplier<@Nullable Tenant> selected, Runnable refresh) {
    TextField confirmation = new TextField("Type the selected tenant's name to delete it");
    confirmation.setId("tenant-delete-confirmation");
    confirmation.setWidth("22em");
    Button delete =
        new Button(
            "Delete tenant",
            e ->
                act(
                    selected,
                    refresh,
                    tenant -> {
                      Tenant scheduled =
                          tenants.scheduleDeletion(tenant.getId(), confirmation.getValue());
                      confirmation.clear();
                      return "Tenant "
                          + scheduled.getName()
                          + " is scheduled for deletion: its members are signed out and its jobs"
                          + " cancelled; everything of it is removed at "
                          + when(scheduled.getDeletionDueAt())
                          + " unless you undo it before";
                    }));
    delete.setId("delete-tenant");
    delete.addThemeVariants(ButtonVariant.LUMO_ERROR);
    Button undo =
        new Button(
            "Undo deletion",
            e ->
                act(
                    selected,
                    refresh,
                    tenant ->
                        "Tenant "
                            + tenants.undoDeletion(tenant.getId()).getName()
                            + " is in use again"));
    undo.setId("undo-tenant-deletion");
    add(confirmation, delete, undo);
    setAlignItems(Alignment.BASELINE);
  }

  /** The tenant's state as the tenants table shows it. */
  static String status(Tenant tenant) {
    return tenant.isScheduledForDeletion()
        ? "deleted; removed at " + when(tenant.getDeletionDueAt())
        : "in use";
  }

  private static String when(@Nullable Instant at) {
    return at == null ? "" : WHEN.format(at);
  }

  private interface Action {
    String apply(Tenant tenant);
  }

  private static void act(Supplier<@Nullable Tenant> selected, Runnable refresh, Action action) {
    Tenant tenant = selected.get();
    if (tenant == null) {
      error("Select a tenant in the table first");
      return;
    }
    try {
      String done = action.apply(tenant);
      refresh.run();
      Notification.show(done, 8000, Notification.Position.BOTTOM_START)
          .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
    } catch (IllegalArgumentException
        | org.springframework.security.access.AccessDeniedException failed) {
      error(failed.getMessage());
    }
  }

  private static void error(String text) {
    Notification.show(text, 5000, Notification.Position.MIDDLE)
        .addThemeVariants(NotificationVariant.LUMO_ERROR);
  }
}
