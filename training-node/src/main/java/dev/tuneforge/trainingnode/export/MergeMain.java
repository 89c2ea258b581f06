package dev.tuneforge.trainingnode.export;

import dev.tuneforge.modelformat.safetensors.DataType;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code merge --model DIR --adapter DIR --out DIR [--dtype fp32|bf16] [--max-shard-size 5GB]}:
 * writes the base model with the adapter merged in, as {@link MergedModelExport} describes.
 */
public final class MergeMain {

  static final String USAGE =
      "usage: merge --model DIR --adapter DIR --out DIR [--dtype fp32|bf16] [--max-shard-size SIZE (e.g. 5GB, 500MB)]";

  private MergeMain() {}

  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** 0 on success, 1 when the export failed, 2 for wrong arguments. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, String> options = new HashMap<>();
    int start = args.length > 0 && args[0].equals("merge") ? 1 : 0;
    for (int i = start; i < args.length; i += 2) {
      if (!List.of("--model", "--adapter", "--out", "--dtype", "--max-shard-size").contains(args[i])
          || i + 1 >= args.length) {
        err.println("unknown or incomplete option " + args[i] + "\n" + USAGE);
        return 2;
      }
      options.put(args[i], args[i + 1]);
    }
    if (!options.keySet().containsAll(List.of("--model", "--adapter", "--out"))) {
      err.println(USAGE);
      return 2;
    }
    MergedModelExport.Builder export =
        MergedModelExport.builder()
            .setModel(Path.of(options.get("--model")))
            .setAdapter(Path.of(options.get("--adapter")))
            .setOutput(Path.of(options.get("--out")));
    try {
      export.optDataType(dataType(options.getOrDefault("--dtype", "fp32")));
      if (options.containsKey("--max-shard-size")) {
        export.optMaxShardBytes(bytes(options.get("--max-shard-size")));
      }
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage() + "\n" + USAGE);
      return 2;
    }
    try {
      List<String> files = export.build().write();
      out.println(
          "wrote the merged model to " + options.get("--out") + ": " + String.join(", ", files));
      return 0;
    } catch (Exception e) {
      err.println("merge failed: " + e.getMessage());
      return 1;
    }
  }

  static DataType dataType(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "fp32", "f32", "float32" -> DataType.F32;
      case "bf16", "bfloat16" -> DataType.BF16;
      default -> throw new IllegalArgumentException("--dtype must be fp32 or bf16, not " + name);
    };
  }

  /** Decimal units as Hugging Face's {@code max_shard_size} reads them: 5GB is 5 * 10^9 bytes. */
  static long bytes(String size) {
    String upper = size.trim().toUpperCase(Locale.ROOT);
    long unit = 1;
    for (Map.Entry<String, Long> suffix :
        List.of(
            Map.entry("GB", 1_000_000_000L),
            Map.entry("MB", 1_000_000L),
            Map.entry("KB", 1_000L),
            Map.entry("B", 1L))) {
      if (upper.endsWith(suffix.getKey())) {
        unit = suffix.getValue();
        upper = upper.substring(0, upper.length() - suffix.getKey().length()).trim();
        break;
      }
    }
    try {
      return Math.multiplyExact(Long.parseLong(upper), unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "--max-shard-size must be a size such as 5GB or 500MB, not " + size);
    }
  }
}
