package dev.tuneforge.app.node;

import dev.tuneforge.app.catalog.NodeCapacities;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Tells the catalogue page which nodes exist and how much memory each has; every signed-in user
 * sees that (names and memory only), so it reads past the admin-only listing.
 */
@Component
class CatalogNodeCapacities implements NodeCapacities {
  private final NodeService nodes;

  CatalogNodeCapacities(NodeService nodes) {
    this.nodes = nodes;
  }

  @Override
  public List<NodeCapacity> nodes() {
    return nodes.all().stream()
        .map(n -> new NodeCapacity(n.getName(), n.getMemoryBytes()))
        .toList();
  }
}
