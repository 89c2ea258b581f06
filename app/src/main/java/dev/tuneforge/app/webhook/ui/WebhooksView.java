package dev.tuneforge.app.webhook.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.tuneforge.app.base.ui.Polling;
import dev.tuneforge.app.webhook.WebhookDelivery;
import dev.tuneforge.app.webhook.WebhookEndpoint;
import dev.tuneforge.app.webhook.WebhookEvent;
import dev.tuneforge.app.webhook.WebhookService;
import jakarta.annotation.security.RolesAllowed;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A tenant admin's webhooks: register a URL for job events (the signing secret is shown once),
 * rotate its secret or remove it, and follow the deliveries with their answers and retries.
 */
@Route("webhooks")
@PageTitle("Webhooks · Tuneforge")
@Menu(order = 11.5, title = "Webhooks")
@RolesAllowed("TENANT_ADMIN")
public class WebhooksView extends VerticalLayout {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private final WebhookService webhooks;
  private final TextField url = new TextField("Endpoint URL");
  private final CheckboxGroup<WebhookEvent> events = new CheckboxGroup<>("Events");
  private final Div message = new Div();
  private final Div secret = new Div();
  private final Grid<WebhookEndpoint> endpointGrid = new Grid<>(WebhookEndpoint.class, false);
  private final Grid<WebhookDelivery> deliveryGrid = new Grid<>(WebhookDelivery.class, false);
  private Map<UUID, String> urls = Map.of();

  public WebhooksView(WebhookService webhooks) {
    this.webhooks = webhooks;
    url.setId("webhook-url");
    url.setPlaceholder("https://example.com/tuneforge-events");
    url.setWidth("28em");
    events.setId("webhook-events");
    events.setItems(WebhookEvent.values());
    events.setItemLabelGenerator(WebhookEvent::title);
    events.select(WebhookEvent.values());
    Button add = new Button("Add endpoint", e -> register());
    add.setId("add-webhook");
    add.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    message.setId("webhook-message");
    secret.setId("webhook-secret");
    HorizontalLayout form = new HorizontalLayout(url, events, add);
    form.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
    form.setWrap(true);

    endpointGrid.setId("webhook-endpoints");
    endpointGrid.addColumn(WebhookEndpoint::getUrl).setHeader("URL").setAutoWidth(true);
    endpointGrid
        .addColumn(
            e -> e.getEvents().stream().map(WebhookEvent::type).collect(Collectors.joining(", ")))
        .setHeader("Events")
        .setAutoWidth(true);
    endpointGrid
        .addColumn(e -> TIME.format(e.getSecretSetAt()))
        .setHeader("Secret made")
        .setAutoWidth(true);
    endpointGrid
        .addComponentColumn(
            e -> {
              Button rotate = new Button("Rotate secret", click -> rotate(e));
              Button remove = new Button("Remove", click -> remove(e));
              rotate.addThemeVariants(ButtonVariant.LUMO_SMALL);
              remove.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR);
              return new HorizontalLayout(rotate, remove);
            })
        .setAutoWidth(true);
    endpointGrid.setAllRowsVisible(true);

    deliveryGrid.setId("webhook-deliveries");
    column(deliveryGrid, d -> TIME.format(d.getCreatedAt()), "Queued");
    column(deliveryGrid, d -> urls.getOrDefault(d.getEndpointId(), ""), "Endpoint");
    column(deliveryGrid, WebhookDelivery::getEventType, "Event");
    column(deliveryGrid, WebhookDelivery::getStatus, "Status");
    column(deliveryGrid, d -> String.valueOf(d.getAttempts()), "Attempts");
    column(deliveryGrid, d -> text(d.getResponseStatus()), "Answer");
    column(
        deliveryGrid,
        d -> d.getError() != null ? d.getError() : text(d.getResponseExcerpt()),
        "Response or reason");
    column(deliveryGrid, d -> time(d.getNextAttemptAt()), "Next attempt");
    deliveryGrid.setAllRowsVisible(true);

    add(
        new H2("Webhooks"),
        new Paragraph(
            "Tuneforge posts a signed JSON event to each endpoint when a fine-tune succeeds, fails"
                + " or is cancelled, and when its evaluation is ready. Verify the"
                + " Tuneforge-Signature header with the endpoint's secret (docs/usage.md,"
                + " \"Webhooks\"). Addresses inside the platform's network need an"
                + " administrator's permission."),
        form,
        message,
        secret,
        new H3("Endpoints"),
        endpointGrid,
        new H3("Deliveries"),
        deliveryGrid);
    refresh();
    Polling.whileAttached(this, 5000, this::refresh);
  }

  private void register() {
    try {
      WebhookService.Registered registered =
          webhooks.register(url.getValue(), events.getSelectedItems());
      url.clear();
      show("Added " + registered.endpoint().getUrl(), false);
      showSecret(registered.secret());
      refresh();
    } catch (IllegalArgumentException e) {
      show(e.getMessage(), true);
    }
  }

  private void rotate(WebhookEndpoint endpoint) {
    showSecret(webhooks.rotateSecret(endpoint.getId()));
    show("New secret for " + endpoint.getUrl() + "; the old one no longer signs", false);
    refresh();
  }

  private void remove(WebhookEndpoint endpoint) {
    webhooks.remove(endpoint.getId());
    secret.setText("");
    show("Removed " + endpoint.getUrl() + " and its deliveries", false);
    refresh();
  }

  private void showSecret(String value) {
    secret.setText("Signing secret (copy it now, it is not shown again): " + value);
  }

  private void show(String text, boolean error) {
    message.setText(text);
    message
        .getStyle()
        .set("color", error ? "var(--lumo-error-text-color)" : "var(--lumo-success-text-color)");
  }

  private void refresh() {
    var endpoints = webhooks.endpoints();
    urls =
        endpoints.stream()
            .collect(Collectors.toMap(WebhookEndpoint::getId, WebhookEndpoint::getUrl));
    endpointGrid.setItems(endpoints);
    deliveryGrid.setItems(webhooks.deliveries());
  }

  private static <T> void column(Grid<T> grid, Function<T, String> value, String header) {
    grid.addColumn(value::apply).setHeader(header).setAutoWidth(true);
  }

  private static String text(@Nullable Object value) {
    return value == null ? "" : value.toString();
  }

  private static String time(@Nullable Instant value) {
    return value == null ? "" : TIME.format(value);
  }
}
