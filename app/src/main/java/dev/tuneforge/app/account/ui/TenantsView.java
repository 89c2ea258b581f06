package dev.tuneforge.app.account.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.BigDecimalField;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AccessDeniedErrorRouter;
import dev.tuneforge.app.account.AccountService;
import dev.tuneforge.app.account.AppUser;
import dev.tuneforge.app.account.CurrentUser;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.account.UserLifecycleService;
import dev.tuneforge.app.tenancy.Tenant;
import dev.tuneforge.app.tenancy.TenantQuotas;
import dev.tuneforge.app.tenancy.TenantService;
import jakarta.annotation.security.RolesAllowed;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Value;

/**
 * Tenants and users. Platform admins create tenants and anyone's accounts; tenant admins add
 * members to their own tenant.
 */
@Route("admin/users")
@PageTitle("Tenants and users · Tuneforge")
@Menu(order = 11, title = "Tenants and users")
@RolesAllowed({"PLATFORM_ADMIN", "TENANT_ADMIN"})
@AccessDeniedErrorRouter
public class TenantsView extends VerticalLayout {
  private final TenantService tenants;
  private final AccountService accounts;
  private final boolean platformAdmin;
  private final String currency;
  private final Grid<Tenant> tenantGrid = new Grid<>(Tenant.class, false);
  private final Grid<AppUser> userGrid = new Grid<>(AppUser.class, false);
  private final ComboBox<Tenant> userTenant = new ComboBox<>("Tenant");

  /**
   * @param currency the label of every price and budget, the usage feature's setting
   */
  public TenantsView(
      TenantService tenants,
      AccountService accounts,
      UserLifecycleService lifecycle,
      TenantQuotas quotas,
      @Value("${tuneforge.usage.currency:USD}") String currency) {
    this.tenants = tenants;
    this.accounts = accounts;
    this.currency = currency;
    SignedInUser me = CurrentUser.require();
    this.platformAdmin = me.role() == Role.PLATFORM_ADMIN;
    add(new H2("Tenants and users"));

    if (platformAdmin) {
      TextField tenantName = new TextField("New tenant");
      tenantName.setId("tenant-name");
      Button createTenant =
          new Button(
              "Create tenant",
              e ->
                  attempt(
                      () -> {
                        Tenant t = tenants.create(tenantName.getValue());
                        tenantName.clear();
                        Notification.show("Created tenant " + t.getName())
                            .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
                      }));
      createTenant.setId("create-tenant");
      tenantGrid.setId("tenants-grid");
      tenantGrid.addColumn(Tenant::getName).setHeader("Tenant");
      tenantGrid.addColumn(t -> t.getId().toString()).setHeader("Id");
      tenantGrid.addColumn(t -> budgetText(t.getMonthlyBudget())).setHeader("Monthly budget");
      tenantGrid
          .addColumn(t -> t.getSsoGroup() == null ? "local accounts" : "SSO: " + t.getSsoGroup())
          .setHeader("Sign-in");
      tenantGrid.addColumn(TenantDeletionActions::status).setHeader("Status");
      tenantGrid.setAllRowsVisible(true);
      HorizontalLayout row = new HorizontalLayout(tenantName, createTenant);
      row.setAlignItems(Alignment.BASELINE);
      BigDecimalField budget =
          new BigDecimalField("Monthly budget in " + currency + " (empty = unlimited)");
      budget.setId("tenant-budget");
      tenantGrid
          .asSingleSelect()
          .addValueChangeListener(
              e -> budget.setValue(e.getValue() == null ? null : e.getValue().getMonthlyBudget()));
      Button saveBudget =
          new Button(
              "Set budget of selected tenant",
              e ->
                  attempt(
                      () -> {
                        Tenant saved =
                            tenants.setMonthlyBudget(selectedTenant().getId(), budget.getValue());
                        Notification.show(
                                "Monthly budget of "
                                    + saved.getName()
                                    + ": "
                                    + budgetText(saved.getMonthlyBudget()))
                            .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
                      }));
      saveBudget.setId("save-tenant-budget");
      TextField ssoGroup = new TextField("SSO group (empty = local accounts)");
      ssoGroup.setId("tenant-sso-group");
      tenantGrid
          .asSingleSelect()
          .addValueChangeListener(
              e ->
                  ssoGroup.setValue(
                      e.getValue() == null || e.getValue().getSsoGroup() == null
                          ? ""
                          : e.getValue().getSsoGroup()));
      Button saveSso =
          new Button(
              "Set SSO group",
              e ->
                  attempt(
                      () -> {
                        tenants.setSsoGroup(selectedTenant().getId(), ssoGroup.getValue());
                      }));
      saveSso.setId("save-tenant-sso-group");
      HorizontalLayout budgetRow = new HorizontalLayout(budget, saveBudget, ssoGroup, saveSso);
      budgetRow.setAlignItems(Alignment.BASELINE);
      TenantQuotaForm quotaForm = new TenantQuotaForm(quotas, this::selectedTenant, this::attempt);
      tenantGrid.asSingleSelect().addValueChangeListener(e -> quotaForm.show(e.getValue()));
      add(
          row,
          tenantGrid,
          budgetRow,
          quotaForm,
          new TenantDeletionActions(
              tenants, () -> tenantGrid.asSingleSelect().getValue(), this::refresh));
    } else if (me.tenantId() != null) {
      Paragraph budget =
          new Paragraph(
              "Your tenant's monthly budget: "
                  + tenants
                      .find(me.tenantId())
                      .map(t -> budgetText(t.getMonthlyBudget()))
                      .orElse("unlimited")
                  + ". A platform admin sets it; the Usage page shows what is spent.");
      budget.setId("tenant-budget-info");
      add(budget);
    }

    userTenant.setId("user-tenant");
    userTenant.setItemLabelGenerator(Tenant::getName);
    userTenant.setVisible(platformAdmin);
    TextField username = new TextField("Username");
    username.setId("user-username");
    PasswordField password = new PasswordField("Password");
    password.setId("user-password");
    Select<Role> role = new Select<>();
    role.setLabel("Role");
    role.setId("user-role");
    role.setItems(UserActions.assignableRoles(platformAdmin));
    role.setValue(Role.MEMBER);
    Button createUser =
        new Button(
            "Create user",
            e ->
                attempt(
                    () -> {
                      UUID tenantId =
                          platformAdmin
                              ? (userTenant.getValue() == null
                                  ? null
                                  : userTenant.getValue().getId())
                              : me.tenantId();
                      AppUser user =
                          accounts.create(
                              tenantId,
                              username.getValue(),
                              username.getValue(),
                              password.getValue(),
                              role.getValue());
                      username.clear();
                      password.clear();
                      Notification.show("Created user " + user.getUsername())
                          .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
                    }));
    createUser.setId("create-user");
    createUser.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    HorizontalLayout userRow =
        new HorizontalLayout(userTenant, username, password, role, createUser);
    userRow.setAlignItems(Alignment.BASELINE);
    userRow.setWrap(true);

    userGrid.setId("users-grid");
    userGrid.addColumn(AppUser::getUsername).setHeader("User");
    userGrid.addColumn(AppUser::getRole).setHeader("Role");
    userGrid.addColumn(u -> tenantName(u.getTenantId())).setHeader("Tenant");
    userGrid
        .addColumn(u -> (u.isEnabled() ? "active" : "disabled") + (u.isSso() ? ", SSO" : ""))
        .setHeader("Status");
    userGrid.setAllRowsVisible(true);
    UserActions actions =
        new UserActions(
            lifecycle, () -> userGrid.asSingleSelect().getValue(), this::refresh, platformAdmin);
    actions.setId("user-actions");
    add(new H3("Users"), userRow, userGrid, actions);
    refresh();
  }

  private Tenant selectedTenant() {
    Tenant selected = tenantGrid.asSingleSelect().getValue();
    if (selected == null) {
      throw new IllegalArgumentException("Select a tenant in the table first");
    }
    return selected;
  }

  private void attempt(Runnable action) {
    try {
      action.run();
      refresh();
    } catch (IllegalArgumentException
        | org.springframework.security.access.AccessDeniedException e) {
      Notification.show(e.getMessage(), 5000, Notification.Position.MIDDLE)
          .addThemeVariants(NotificationVariant.LUMO_ERROR);
    }
  }

  private String budgetText(BigDecimal budget) {
    return budget == null ? "unlimited" : budget.toPlainString() + " " + currency + " per month";
  }

  private Map<UUID, String> tenantNames = Map.of();

  private String tenantName(UUID id) {
    return id == null ? "—" : tenantNames.getOrDefault(id, "your tenant");
  }

  private void refresh() {
    if (platformAdmin) {
      List<Tenant> all = tenants.list();
      tenantNames = all.stream().collect(Collectors.toMap(Tenant::getId, Tenant::getName));
      tenantGrid.setItems(all);
      userTenant.setItems(all);
    }
    // Actions apply to a user chosen afresh, never to one selected before the table changed.
    userGrid.asSingleSelect().clear();
    userGrid.setItems(accounts.visibleUsers());
  }
}
