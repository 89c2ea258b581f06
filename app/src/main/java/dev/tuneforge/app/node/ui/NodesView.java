package dev.tuneforge.app.node.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.tuneforge.app.node.NodeService;
import dev.tuneforge.app.node.TrainingNode;
import jakarta.annotation.security.RolesAllowed;
import java.time.Duration;
import java.time.Instant;

/** GPU nodes (admin): issue enrolment tokens, see each node's state and last heartbeat. */
@Route("nodes")
@PageTitle("Training nodes · Tuneforge")
@Menu(order = 10, title = "Training nodes")
@RolesAllowed("PLATFORM_ADMIN")
public class NodesView extends VerticalLayout {
  private final NodeService nodes;
  private final Grid<TrainingNode> grid = new Grid<>(TrainingNode.class, false);
  private final Pre token = new Pre();

  public NodesView(NodeService nodes) {
    this.nodes = nodes;
    token.setId("enrolment-token");
    token.setVisible(false);
    Button issue = new Button("Issue enrolment token", e -> {
      String value = nodes.issueEnrolmentToken();
      token.setText("java -jar training-node.jar --server <app URL> --work-dir <folder> --token " + value);
      token.setVisible(true);
    });
    issue.setId("issue-token");
    issue.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    Button reload = new Button("Refresh", e -> refresh());

    grid.setId("nodes-grid");
    grid.addColumn(TrainingNode::getName).setHeader("Node").setAutoWidth(true);
    grid.addColumn(TrainingNode::getState).setHeader("State").setAutoWidth(true);
    grid.addColumn(n -> n.getDevice() + " · " + n.getDeviceName()).setHeader("Device").setFlexGrow(1);
    grid.addColumn(n -> n.getCpuCores() + " cores, " + n.getMemoryBytes() / (1L << 30) + " GiB").setHeader("Resources");
    grid.addColumn(n -> ago(n.getLastHeartbeatAt())).setHeader("Last heartbeat").setAutoWidth(true);

    add(
        new H2("Training nodes"),
        new Paragraph("A token enrols one node, once, within 24 hours. The node then keeps its own credential."),
        issue,
        token,
        reload,
        grid);
    refresh();
  }

  private void refresh() {
    grid.setItems(nodes.list());
  }

  private static String ago(Instant at) {
    if (at == null) {
      return "never";
    }
    long seconds = Duration.between(at, Instant.now()).toSeconds();
    return seconds < 120 ? seconds + " s ago" : seconds / 60 + " min ago";
  }
}
