package dev.tuneforge.app.node;

import dev.tuneforge.app.usage.NodeClasses;
import dev.tuneforge.app.usage.UsageProperties;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * A node's price per GPU-hour (its own, or the default for its device) and its class, for metering
 * and estimates.
 */
@Component
public class NodePricing implements NodeClasses {
  private final NodeService nodes;
  private final UsageProperties properties;

  NodePricing(NodeService nodes, UsageProperties properties) {
    this.nodes = nodes;
    this.properties = properties;
  }

  /** The currency every price is in (a label, from the usage settings). */
  public String currency() {
    return properties.currency();
  }

  public BigDecimal price(TrainingNode node) {
    BigDecimal own = node.getPricePerGpuHour();
    return own != null ? own : properties.defaultPrice(node.getDevice());
  }

  public static String nodeClass(TrainingNode node) {
    return NodeClasses.name(node.getDevice(), node.getDeviceName());
  }

  /**
   * Enrolled nodes' classes; a class costs what its most expensive node costs, so estimates do not
   * come out low.
   */
  @Override
  public List<NodeClass> nodeClasses() {
    Map<String, NodeClass> classes = new LinkedHashMap<>();
    for (TrainingNode node : nodes.all()) {
      String name = nodeClass(node);
      BigDecimal price = price(node);
      classes.merge(
          name,
          new NodeClass(name, price, 1),
          (a, b) ->
              new NodeClass(name, a.pricePerGpuHour().max(b.pricePerGpuHour()), a.nodes() + 1));
    }
    return List.copyOf(classes.values());
  }

  @Override
  public long largestJobMemory() {
    return nodes.all().stream().mapToLong(TrainingNode::largestJobMemory).max().orElse(0);
  }
}
