package dev.tuneforge.trainingnode.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code --name value} options over a map of defaults; an unknown name is an error that lists the
 * known ones.
 */
final class BenchArgs {

  private final Map<String, String> values;

  private BenchArgs(Map<String, String> values) {
    this.values = values;
  }

  static BenchArgs parse(String[] args, Map<String, String> defaults) {
    Map<String, String> values = new LinkedHashMap<>(new TreeMap<>(defaults));
    if (Arrays.asList(args).contains("--help")) {
      System.out.println("options (defaults):");
      values.forEach(
          (name, value) ->
              System.out.println("  --" + name + " " + (value.isEmpty() ? "\"\"" : value)));
      System.exit(0);
    }
    for (int i = 0; i < args.length; i++) {
      String name = args[i].startsWith("--") ? args[i].substring(2) : "";
      if (!values.containsKey(name) || i + 1 == args.length) {
        throw new IllegalArgumentException(
            "unknown option or missing value: " + args[i] + "; options (defaults): " + defaults);
      }
      values.put(name, args[++i]);
    }
    return new BenchArgs(values);
  }

  String text(String name) {
    return values.get(name);
  }

  int integer(String name) {
    return Integer.parseInt(values.get(name));
  }

  double number(String name) {
    return Double.parseDouble(values.get(name));
  }

  List<String> list(String name) {
    return Arrays.stream(values.get(name).split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  /** Intra-op threads for PyTorch; must be called before DJL loads its engine. */
  int applyThreads() {
    int threads = integer("threads");
    System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    return threads;
  }
}
