package dev.tuneforge.app.tenancy.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.NativeLabel;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.tuneforge.app.tenancy.Quota;
import dev.tuneforge.app.tenancy.QuotaUsage;
import dev.tuneforge.app.tenancy.TenantQuotas;
import jakarta.annotation.security.RolesAllowed;

/**
 * The signed-in member's own team's quotas: each limit and how much of it is in use now, counted as
 * the refusals count it. Only the member's tenant is ever shown: the tenant comes from the session.
 */
@Route("quotas")
@PageTitle("Quotas · Tuneforge")
@Menu(order = 4.5, title = "Quotas")
@RolesAllowed({"TENANT_ADMIN", "MEMBER"})
public class QuotaView extends VerticalLayout {

  public QuotaView(TenantQuotas quotas) {
    add(
        new H2("Your team's quotas"),
        new Paragraph(
            "What your team may use at once, and how much of it is in use now. An action that"
                + " would go over a quota is refused with the quota named; a platform admin sets"
                + " them."));
    for (QuotaUsage usage : quotas.usage()) {
      add(row(usage));
    }
  }

  private static Div row(QuotaUsage usage) {
    Quota quota = usage.quota();
    Long used = usage.used();
    NativeLabel label = new NativeLabel(title(quota));
    label.getStyle().set("font-weight", "600");
    Div figures =
        new Div(
            (used == null ? "" : quota.describe(used).replaceFirst(" at once$", "") + " in use; ")
                + "the quota is "
                + quota.describe(usage.limit()));
    figures.setId("quota-" + quota.id());
    Div row = new Div(label, figures);
    if (used != null && usage.limit() > 0) {
      ProgressBar bar = new ProgressBar(0, 1, Math.min(1, (double) used / usage.limit()));
      bar.setWidth("24em");
      row.add(bar);
    }
    return row;
  }

  private static String title(Quota quota) {
    return switch (quota) {
      case RUNNING_JOBS -> "Running fine-tunes";
      case QUEUED_JOBS -> "Queued fine-tunes";
      case STORAGE -> "Storage";
      case BACKGROUND_WORK -> "Background tasks at once";
    };
  }
}
