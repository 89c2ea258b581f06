package dev.tuneforge.app.usage;

import java.math.BigDecimal;
import java.util.List;

/**
 * The kinds of enrolled nodes and their prices, as the node feature knows them. A node class is the
 * device and its name ({@code cuda · NVIDIA H100 80GB HBM3}); nodes of one class train at about the
 * same speed.
 */
public interface NodeClasses {

  /** A class of nodes; {@code pricePerGpuHour} is the highest price among its nodes. */
  record NodeClass(String name, BigDecimal pricePerGpuHour, int nodes) {}

  List<NodeClass> nodeClasses();

  /** The most memory one job may have on any enrolled node (its largest GPU's); 0 without nodes. */
  default long largestJobMemory() {
    return 0;
  }

  static String name(String device, String deviceName) {
    return device + " · " + deviceName;
  }
}
