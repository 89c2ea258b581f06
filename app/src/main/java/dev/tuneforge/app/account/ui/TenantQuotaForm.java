package dev.tuneforge.app.account.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.textfield.BigDecimalField;
import com.vaadin.flow.component.textfield.IntegerField;
import dev.tuneforge.app.tenancy.QuotaOverrides;
import dev.tuneforge.app.tenancy.QuotaProperties;
import dev.tuneforge.app.tenancy.Tenant;
import dev.tuneforge.app.tenancy.TenantQuotas;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A platform admin's form for the selected tenant's own quotas and dispatch weight; an empty field
 * takes the platform's default, shown as its placeholder.
 */
class TenantQuotaForm extends HorizontalLayout {
  private static final BigDecimal GIB = BigDecimal.valueOf(1L << 30);

  private final IntegerField running = new IntegerField("Running fine-tunes");
  private final IntegerField queued = new IntegerField("Queued fine-tunes");
  private final BigDecimalField storage = new BigDecimalField("Storage in GiB");
  private final IntegerField background = new IntegerField("Background tasks at once");
  private final IntegerField weight = new IntegerField("Dispatch weight");

  TenantQuotaForm(TenantQuotas quotas, Supplier<Tenant> selected, Consumer<Runnable> attempt) {
    QuotaProperties defaults = quotas.defaults();
    running.setPlaceholder(String.valueOf(defaults.runningJobs()));
    queued.setPlaceholder(String.valueOf(defaults.queuedJobs()));
    storage.setPlaceholder(gib(defaults.storage().toBytes()).toPlainString());
    background.setPlaceholder(String.valueOf(defaults.backgroundWork()));
    weight.setPlaceholder("1");
    running.setId("tenant-quota-running");
    queued.setId("tenant-quota-queued");
    storage.setId("tenant-quota-storage");
    background.setId("tenant-quota-background");
    weight.setId("tenant-dispatch-weight");
    Button save =
        new Button(
            "Set quotas",
            e ->
                attempt.accept(
                    () -> {
                      Tenant saved = quotas.set(selected.get().getId(), overrides());
                      Notification.show("Quotas of " + saved.getName() + " saved")
                          .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
                    }));
    save.setId("save-tenant-quotas");
    add(running, queued, storage, background, weight, save);
    setAlignItems(FlexComponent.Alignment.BASELINE);
  }

  /** Fills the fields with the tenant's own settings (empty: the default); clears for none. */
  void show(@Nullable Tenant tenant) {
    QuotaOverrides own = tenant == null ? QuotaOverrides.NONE : tenant.getQuotaOverrides();
    running.setValue(own.runningJobs());
    queued.setValue(own.queuedJobs());
    storage.setValue(own.storageBytes() == null ? null : gib(own.storageBytes()));
    background.setValue(own.backgroundWork());
    weight.setValue(own.dispatchWeight());
  }

  private QuotaOverrides overrides() {
    BigDecimal gib = storage.getValue();
    return new QuotaOverrides(
        running.getValue(),
        queued.getValue(),
        gib == null ? null : gib.multiply(GIB).setScale(0, RoundingMode.DOWN).longValueExact(),
        background.getValue(),
        weight.getValue() == null ? 1 : weight.getValue());
  }

  private static BigDecimal gib(long bytes) {
    return BigDecimal.valueOf(bytes).divide(GIB, 2, RoundingMode.HALF_UP).stripTrailingZeros();
  }
}
