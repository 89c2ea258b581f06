package dev.tuneforge.app.apikey.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.tuneforge.app.account.CurrentUser;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.apikey.ApiKeyInfo;
import dev.tuneforge.app.apikey.ApiKeys;
import jakarta.annotation.security.PermitAll;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * API keys: every user makes (named, optionally expiring), sees once, copies, lists and revokes
 * their own; admins also see and revoke those of the users they manage.
 */
@Route("api-keys")
@PageTitle("API keys · Tuneforge")
@Menu(order = 5, title = "API keys")
@PermitAll
public class ApiKeysView extends VerticalLayout {
  private static final DateTimeFormatter SHOWN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private final ApiKeys keys;
  private final Clock clock;
  private final boolean admin;
  private final Grid<ApiKeyInfo> mine = grid("keys-grid", false);
  private final Grid<ApiKeyInfo> managed = grid("managed-keys-grid", true);
  private final TextField created = new TextField("Your new key");

  public ApiKeysView(ApiKeys keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
    this.admin = CurrentUser.require().role() != Role.MEMBER;
    add(
        new H2("API keys"),
        new Paragraph(
            "A key acts as you in scripts: send it as Authorization: Bearer … to /api and /v1."
                + " It is shown once, when you make it."));

    TextField name = new TextField("Name");
    name.setId("key-name");
    DatePicker expiry = new DatePicker("Expires after (optional)");
    expiry.setId("key-expiry");
    expiry.setMin(LocalDate.now(clock));
    Button create = new Button("Create key", e -> create(name, expiry));
    create.setId("create-key");
    create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    HorizontalLayout form = new HorizontalLayout(name, expiry, create);
    form.setAlignItems(Alignment.BASELINE);

    created.setId("new-key");
    created.setReadOnly(true);
    created.setWidth("36em");
    created.setHelperText("Copy it now: it is not shown again.");
    Button copy =
        new Button(
            "Copy",
            e -> {
              UI.getCurrent()
                  .getPage()
                  .executeJs("navigator.clipboard.writeText($0)", created.getValue());
              Notification.show("Copied");
            });
    copy.setId("copy-key");
    HorizontalLayout shown = new HorizontalLayout(created, copy);
    shown.setAlignItems(Alignment.BASELINE);
    shown.setVisible(false);
    created.addValueChangeListener(e -> shown.setVisible(!e.getValue().isEmpty()));

    add(form, shown, new H3("Your keys"), mine);
    if (admin) {
      add(new H3("Keys of the users you manage"), managed);
    }
    refresh();
  }

  private void create(TextField name, DatePicker expiry) {
    LocalDate last = expiry.getValue();
    Instant expiresAt =
        last == null ? null : last.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    try {
      ApiKeys.IssuedKey issued =
          keys.issue(CurrentUser.require().userId(), name.getValue(), expiresAt);
      created.setValue(issued.text());
      name.clear();
      expiry.clear();
      refresh();
    } catch (IllegalArgumentException e) {
      Notification.show(e.getMessage(), 5000, Notification.Position.MIDDLE)
          .addThemeVariants(NotificationVariant.LUMO_ERROR);
    }
  }

  private void revoke(UUID id) {
    try {
      ApiKeyInfo revoked = keys.revoke(id);
      Notification.show("Revoked " + revoked.name() + " (" + revoked.owner() + ")")
          .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
    } catch (NoSuchElementException e) {
      Notification.show(e.getMessage()).addThemeVariants(NotificationVariant.LUMO_ERROR);
    }
    refresh();
  }

  private void refresh() {
    mine.setItems(keys.mine());
    if (admin) {
      managed.setItems(keys.managedKeys());
    }
  }

  private Grid<ApiKeyInfo> grid(String id, boolean withOwner) {
    Grid<ApiKeyInfo> grid = new Grid<>(ApiKeyInfo.class, false);
    grid.setId(id);
    if (withOwner) {
      grid.addColumn(ApiKeyInfo::owner).setHeader("User");
    }
    grid.addColumn(ApiKeyInfo::name).setHeader("Name");
    grid.addColumn(k -> k.prefix() + "…").setHeader("Key");
    grid.addColumn(k -> time(k.createdAt())).setHeader("Created");
    grid.addColumn(k -> k.expiresAt() == null ? "never" : time(k.expiresAt())).setHeader("Expires");
    grid.addColumn(k -> k.lastUsedAt() == null ? "never" : time(k.lastUsedAt()))
        .setHeader("Last used");
    grid.addColumn(this::state).setHeader("State");
    grid.addComponentColumn(
            k -> {
              Button revoke = new Button("Revoke", e -> revoke(k.id()));
              revoke.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_SMALL);
              revoke.setEnabled(k.activeAt(clock.instant()));
              revoke.addClassName("revoke-key");
              return revoke;
            })
        .setHeader("");
    grid.setAllRowsVisible(true);
    return grid;
  }

  private String state(ApiKeyInfo key) {
    if (key.revokedAt() != null) {
      return "revoked " + time(key.revokedAt());
    }
    return key.activeAt(clock.instant()) ? "active" : "expired";
  }

  private static String time(@Nullable Instant at) {
    return at == null ? "" : SHOWN.format(at);
  }
}
