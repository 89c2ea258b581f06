package dev.tuneforge.app.catalog;

import java.util.List;

/**
 * The registered training nodes and the memory each has, as the catalogue page shows which fit a
 * model. The node feature provides it (it depends on the catalogue, not the other way round).
 */
public interface NodeCapacities {

  /** A node's name and its device memory in bytes. */
  record NodeCapacity(String name, long memoryBytes) {}

  List<NodeCapacity> nodes();
}
