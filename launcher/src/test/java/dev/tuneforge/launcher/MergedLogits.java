package dev.tuneforge.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.storage.ObjectStorage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.IntStream;
import tools.jackson.databind.json.JsonMapper;

/**
 * A merged model is the base with its adapter: the independent PyTorch reference computes the
 * logits of the downloaded merged folder, and of the catalogue's base with the adapter beside its
 * weights (as PEFT and the trainer apply it), and they agree within what rounding the merged
 * weights to the base's dtype allows. The base alone must differ by far more, or the comparison
 * would prove nothing.
 */
final class MergedLogits {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final long[] PROMPT = {5, 17, 99, 3, 250, 42, 7, 120, 8, 9, 10};
  private static final int NEW_TOKENS = 6;

  private MergedLogits() {}

  /**
   * {@code mergedCase/model} holds the merged model, {@code adapter} the adapter it was merged
   * from; {@code work} takes the base's files.
   */
  static void assertEqualToBaseWithAdapter(
      LocalPlatform platform, Path mergedCase, Path adapter, Path work)
      throws IOException, InterruptedException {
    PyTorchReference reference = PyTorchReference.find();
    if (reference == null) {
      return;
    }
    Path baseCase = work.resolve("base-with-adapter");
    downloadBase(platform, baseCase.resolve("model"));

    PyTorchReference.Steps expected = reference.greedy(baseCase, adapter, PROMPT, NEW_TOKENS);
    PyTorchReference.Steps actual = reference.greedy(mergedCase, null, PROMPT, NEW_TOKENS);
    PyTorchReference.Steps alone = reference.greedy(baseCase, null, PROMPT, NEW_TOKENS);

    String dtype =
        JSON.readTree(Files.readString(mergedCase.resolve("model/config.json")))
            .path("torch_dtype")
            .asString("float32");
    double tolerance = relativeTolerance(dtype) * maxAbs(expected.logits()[0]);
    double worst = 0;
    for (int step = 0; step < NEW_TOKENS; step++) {
      double difference = maxAbsDiff(actual.logits()[step], expected.logits()[step]);
      worst = Math.max(worst, difference);
      assertThat(difference).as("step %d's largest logit difference", step).isLessThan(tolerance);
      if (actual.tokens()[step] != expected.tokens()[step]) {
        assertThat((double) expected.margins()[step])
            .as("step %d chose another token by a margin of", step)
            .isLessThan(2 * tolerance);
        break;
      }
    }
    double adapterEffect = maxAbsDiff(alone.logits()[0], expected.logits()[0]);
    System.out.printf(
        Locale.ROOT,
        "Merged model (%s) vs base with adapter, PyTorch float64: largest logit difference %.3g"
            + " (tolerance %.3g); the adapter itself moves logits by up to %.3g%n",
        dtype,
        worst,
        tolerance,
        adapterEffect);
    assertThat(adapterEffect).as("the adapter changes the logits").isGreaterThan(100 * tolerance);
  }

  /**
   * How far rounding the merged weights to {@code dtype} may move logits, relative to the largest:
   * a few hundred units in the last place of its mantissa.
   */
  private static double relativeTolerance(String dtype) {
    return switch (dtype) {
      case "bfloat16" -> 0x1p-8 * 8;
      case "float16" -> 0x1p-11 * 16;
      default -> 0x1p-24 * 512;
    };
  }

  private static void downloadBase(LocalPlatform platform, Path dir) throws IOException {
    CatalogService catalog = platform.context().getBean(CatalogService.class);
    ObjectStorage storage = platform.context().getBean(ObjectStorage.class);
    BaseModel demo = catalog.findByName(DemoModel.NAME).orElseThrow();
    Files.createDirectories(dir);
    for (String file : catalog.files(demo)) {
      try (InputStream in = storage.open(demo.getObjectPrefix() + file)) {
        Files.copy(in, dir.resolve(file));
      }
    }
  }

  private static double maxAbsDiff(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    return IntStream.range(0, a.length)
        .mapToDouble(i -> Math.abs((double) a[i] - b[i]))
        .max()
        .orElse(0);
  }

  private static double maxAbs(float[] values) {
    return maxAbsDiff(values, new float[values.length]);
  }
}
