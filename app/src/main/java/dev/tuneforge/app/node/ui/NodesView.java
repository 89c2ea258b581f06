package dev.tuneforge.app.node.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.BigDecimalField;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AccessDeniedErrorRouter;
import dev.tuneforge.app.node.NodePricing;
import dev.tuneforge.app.node.NodeService;
import dev.tuneforge.app.node.ServingPolicy;
import dev.tuneforge.app.node.TrainingNode;
import dev.tuneforge.app.usage.EstimateService;
import dev.tuneforge.app.usage.Money;
import dev.tuneforge.app.usage.NodeClasses.NodeClass;
import dev.tuneforge.modelformat.memory.MemoryEstimate;
import dev.tuneforge.protocol.Gpu;
import jakarta.annotation.security.RolesAllowed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * GPU nodes (admin): issue enrolment tokens, see each node's state and last heartbeat, set each
 * node's price per GPU-hour and serving policy, and see each node class's measured throughput.
 */
@Route("nodes")
@PageTitle("Training nodes · Tuneforge")
@Menu(order = 10, title = "Training nodes")
@RolesAllowed("PLATFORM_ADMIN")
@AccessDeniedErrorRouter
public class NodesView extends VerticalLayout {
  private final NodeService nodes;
  private final NodePricing pricing;
  private final EstimateService estimates;
  private final Clock clock;
  private final Grid<TrainingNode> grid = new Grid<>(TrainingNode.class, false);
  private final Grid<NodeClass> classes = new Grid<>();
  private final Pre token = new Pre();
  private final Select<ServingPolicy> serving = new Select<>();
  private final BigDecimalField price = new BigDecimalField("Price per GPU-hour (empty = default)");

  public NodesView(NodeService nodes, NodePricing pricing, EstimateService estimates, Clock clock) {
    this.clock = clock;
    this.nodes = nodes;
    this.pricing = pricing;
    this.estimates = estimates;
    token.setId("enrolment-token");
    token.setVisible(false);
    Button issue =
        new Button(
            "Issue enrolment token",
            e -> {
              String value = nodes.issueEnrolmentToken();
              token.setText(
                  "TUNEFORGE_ENROL_TOKEN="
                      + value
                      + " java -jar training-node.jar --server <app URL> --work-dir <folder>");
              token.setVisible(true);
            });
    issue.setId("issue-token");
    issue.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    Button reload = new Button("Refresh", e -> refresh());

    grid.setId("nodes-grid");
    grid.addColumn(TrainingNode::getName).setHeader("Node").setAutoWidth(true);
    grid.addColumn(
            n -> n.isRevoked() ? "revoked" : n.getState() + (n.isDraining() ? ", draining" : ""))
        .setHeader("State")
        .setAutoWidth(true);
    grid.addColumn(n -> n.getDevice() + " · " + n.getDeviceName())
        .setHeader("Device")
        .setFlexGrow(1);
    grid.addColumn(n -> n.getCpuCores() + " cores, " + n.getMemoryBytes() / (1L << 30) + " GiB")
        .setHeader("Resources");
    grid.addColumn(NodesView::gpus).setHeader("GPUs").setAutoWidth(true);
    grid.addColumn(n -> ago(n.getLastHeartbeatAt())).setHeader("Last heartbeat").setAutoWidth(true);
    grid.addColumn(
            n ->
                Money.format(pricing.price(n), pricing.currency())
                    + (n.getPricePerGpuHour() == null ? " (default)" : ""))
        .setHeader("Price / GPU-hour")
        .setAutoWidth(true);
    grid.addColumn(n -> n.getServingPolicy().label()).setHeader("Serving").setAutoWidth(true);
    grid.asSingleSelect()
        .addValueChangeListener(
            e -> {
              price.setValue(e.getValue() == null ? null : e.getValue().getPricePerGpuHour());
              serving.setValue(e.getValue() == null ? null : e.getValue().getServingPolicy());
            });

    price.setId("node-price");
    Button savePrice =
        new Button(
            "Set price of selected node",
            e -> {
              TrainingNode selected = grid.asSingleSelect().getValue();
              if (selected == null) {
                error("Select a node in the table first");
                return;
              }
              try {
                nodes.setPrice(selected.getId(), price.getValue());
                Notification.show("Price of " + selected.getName() + " saved")
                    .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
                refresh();
              } catch (IllegalArgumentException problem) {
                error(problem.getMessage());
              }
            });
    savePrice.setId("save-node-price");
    Button drain =
        new Button(
            "Drain / undrain", e -> onSelected(n -> nodes.drain(n.getId(), !n.isDraining())));
    drain.setId("drain-node");
    Button revoke = new Button("Revoke credential", e -> onSelected(n -> nodes.revoke(n.getId())));
    revoke.setId("revoke-node");
    revoke.addThemeVariants(ButtonVariant.LUMO_ERROR);
    HorizontalLayout priceRow = new HorizontalLayout(price, savePrice, drain, revoke);
    priceRow.setAlignItems(Alignment.BASELINE);
    serving.setId("node-serving-policy");
    serving.setItems(ServingPolicy.values());
    serving.setItemLabelGenerator(ServingPolicy::label);
    Button saveServing =
        new Button(
            "Set serving of selected node",
            e -> {
              ServingPolicy policy = serving.getValue();
              if (policy != null) {
                onSelected(n -> nodes.setServingPolicy(n.getId(), policy));
              }
            });
    saveServing.setId("save-node-serving");
    HorizontalLayout servingRow = new HorizontalLayout(serving, saveServing);
    servingRow.setAlignItems(Alignment.BASELINE);

    classes.setId("node-classes-grid");
    classes.addColumn(NodeClass::name).setHeader("Node class").setFlexGrow(1);
    classes.addColumn(NodeClass::nodes).setHeader("Nodes").setAutoWidth(true);
    classes
        .addColumn(c -> Money.format(c.pricePerGpuHour(), pricing.currency()))
        .setHeader("Price / GPU-hour (highest)")
        .setAutoWidth(true);
    classes
        .addColumn(c -> throughput(c.name()))
        .setHeader("Measured throughput")
        .setAutoWidth(true);
    classes.setAllRowsVisible(true);

    add(
        new H2("Training nodes"),
        new Paragraph(
            "A token enrols one node, once, within 24 hours. The node then keeps its own credential"
                + " until it expires or is revoked; a draining node finishes its jobs and takes no new"
                + " one."),
        issue,
        token,
        reload,
        grid,
        priceRow,
        new Paragraph(
            "Serving: whether a node answers generation requests (playground, chat completions)."
                + " When idle: only while it trains nothing; always: beside its training."),
        servingRow,
        new H3("Node classes"),
        new Paragraph(
            "Throughput is trained tokens per second a node was held, over finished training on that class;"
                + " estimates before launch use it, or an assumed figure until a class has one."),
        classes);
    refresh();
  }

  private void onSelected(java.util.function.Consumer<TrainingNode> action) {
    TrainingNode selected = grid.asSingleSelect().getValue();
    if (selected == null) {
      error("Select a node in the table first");
      return;
    }
    action.accept(selected);
    refresh();
  }

  private void refresh() {
    grid.setItems(nodes.list());
    classes.setItems(pricing.nodeClasses());
  }

  private String throughput(String nodeClass) {
    var measured = estimates.measured().get(nodeClass);
    return measured == null
        ? "none yet"
        : String.format(
            Locale.ROOT,
            "%,.0f tokens/s (%,d tokens in %,d s)",
            measured.tokensPerSecond(),
            measured.tokens(),
            measured.seconds());
  }

  private static void error(String message) {
    Notification.show(message, 5000, Notification.Position.MIDDLE)
        .addThemeVariants(NotificationVariant.LUMO_ERROR);
  }

  private String ago(Instant at) {
    if (at == null) {
      return "never";
    }
    long seconds = Duration.between(at, clock.instant()).toSeconds();
    return seconds < 120 ? seconds + " s ago" : seconds / 60 + " min ago";
  }

  /**
   * Each GPU as read by the node's engine: name, free of total memory, CUDA and driver version,
   * busy or free; "none" on a CPU node, which runs one job at a time.
   */
  static String gpus(TrainingNode node) {
    if (node.getGpus().isEmpty()) {
      return "none";
    }
    StringBuilder text = new StringBuilder();
    for (Gpu gpu : node.getGpus()) {
      if (!text.isEmpty()) {
        text.append("; ");
      }
      text.append(gpu.index())
          .append(": ")
          .append(gpu.name())
          .append(", ")
          .append(MemoryEstimate.gib(gpu.freeMemoryBytes()))
          .append(" free of ")
          .append(MemoryEstimate.gib(gpu.memoryBytes()));
      if (gpu.cudaVersion() != null) {
        text.append(", CUDA ").append(gpu.cudaVersion());
      }
      if (gpu.driverVersion() != null) {
        text.append(", driver ").append(gpu.driverVersion());
      }
      text.append(gpu.jobId() == null ? ", free" : ", running a job");
    }
    return text.toString();
  }
}
