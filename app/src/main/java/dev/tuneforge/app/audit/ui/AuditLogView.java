package dev.tuneforge.app.audit.ui;

import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.tuneforge.app.account.CurrentUser;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.audit.AuditAction;
import dev.tuneforge.app.audit.AuditEntry;
import dev.tuneforge.app.audit.AuditFilter;
import dev.tuneforge.app.audit.AuditLog;
import jakarta.annotation.security.RolesAllowed;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The audit log: who did what, to which target, when and from where. Tenant admins see their
 * tenant's records, platform admins every record; filtered by user, action and days (UTC), and
 * exported as CSV with the same filters.
 */
@Route("audit")
@PageTitle("Audit log · Tuneforge")
@Menu(order = 13, title = "Audit log")
@RolesAllowed({"PLATFORM_ADMIN", "TENANT_ADMIN"})
public class AuditLogView extends VerticalLayout {
  private static final DateTimeFormatter SHOWN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private final AuditLog log;
  private final TextField user = new TextField("User");
  private final ComboBox<AuditAction> action = new ComboBox<>("Action");
  private final DatePicker from = new DatePicker("From (UTC)");
  private final DatePicker to = new DatePicker("To (UTC, inclusive)");
  private final Anchor export = new Anchor("", "Export as CSV");
  private final Grid<AuditEntry> grid = new Grid<>();

  public AuditLogView(AuditLog log) {
    this.log = log;
    boolean platform = CurrentUser.require().role() == Role.PLATFORM_ADMIN;
    add(
        new H2("Audit log"),
        new Paragraph(
            platform
                ? "Every tenant's records and the platform's own, newest first."
                : "Your tenant's records, newest first."));

    user.setId("audit-user");
    user.setValueChangeMode(ValueChangeMode.LAZY);
    action.setId("audit-action");
    action.setItems(AuditAction.values());
    action.setItemLabelGenerator(AuditAction::label);
    action.setClearButtonVisible(true);
    from.setId("audit-from");
    to.setId("audit-to");
    export.setId("audit-export");
    export.getElement().setAttribute("download", true);
    export.getElement().setAttribute("router-ignore", true);
    HorizontalLayout filters = new HorizontalLayout(user, action, from, to, export);
    filters.setAlignItems(Alignment.BASELINE);
    user.addValueChangeListener(e -> refresh());
    action.addValueChangeListener(e -> refresh());
    from.addValueChangeListener(e -> refresh());
    to.addValueChangeListener(e -> refresh());

    grid.setId("audit-grid");
    grid.addColumn(e -> SHOWN.format(e.occurredAt())).setHeader("Time").setAutoWidth(true);
    if (platform) {
      grid.addColumn(e -> Objects.requireNonNullElse(e.tenant(), "—"))
          .setHeader("Tenant")
          .setAutoWidth(true);
    }
    grid.addColumn(AuditEntry::actor).setHeader("User").setAutoWidth(true);
    grid.addColumn(e -> e.action().label()).setHeader("Action").setAutoWidth(true);
    grid.addColumn(AuditEntry::target).setHeader("Target").setFlexGrow(1);
    grid.addColumn(AuditEntry::detail).setHeader("Detail").setFlexGrow(1);
    grid.addColumn(AuditEntry::clientAddress).setHeader("From").setAutoWidth(true);
    add(filters, grid);
    setSizeFull();
    refresh();
  }

  private void refresh() {
    AuditFilter filter = filter();
    grid.setItems(
        query -> log.find(filter, query.getOffset(), query.getLimit()).stream(),
        query -> log.count(filter));
    export.setHref("audit/export.csv" + query(filter));
  }

  private AuditFilter filter() {
    return new AuditFilter(
        user.getValue().isBlank() ? null : user.getValue().strip(),
        action.getValue(),
        startOf(from.getValue()),
        startOf(to.getValue() == null ? null : to.getValue().plusDays(1)));
  }

  private static @Nullable Instant startOf(@Nullable LocalDate day) {
    return day == null ? null : day.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  private static String query(AuditFilter filter) {
    List<String> params = new ArrayList<>();
    if (filter.user() != null) {
      params.add("user=" + URLEncoder.encode(filter.user(), StandardCharsets.UTF_8));
    }
    if (filter.action() != null) {
      params.add("action=" + filter.action().name());
    }
    if (filter.from() != null) {
      params.add("from=" + filter.from());
    }
    if (filter.to() != null) {
      params.add("to=" + filter.to());
    }
    return params.isEmpty() ? "" : "?" + String.join("&", params);
  }
}
