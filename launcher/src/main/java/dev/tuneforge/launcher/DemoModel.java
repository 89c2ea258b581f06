package dev.tuneforge.launcher;

import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.catalog.ModelImport;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Puts the tiny random demo Llama in the catalogue once, as a platform model every tenant sees, so
 * a fresh platform can fine-tune at once.
 */
final class DemoModel {
  static final String NAME = "tuneforge-demo-llama";
  static final long SEED = 42;

  private DemoModel() {}

  /** Registers the demo model unless the catalogue has it; returns the catalogue entry. */
  static BaseModel ensureRegistered(CatalogService catalog) {
    return catalog.findByName(NAME).orElseGet(() -> register(catalog));
  }

  private static BaseModel register(CatalogService catalog) {
    Path directory = null;
    try {
      directory = Files.createTempDirectory("tuneforge-demo-model");
      DemoModelWriter.write(directory, SEED);
      return catalog.importPlatformDirectory(
          new ModelImport(
              NAME,
              null,
              null,
              "Tiny Llama-architecture model with random weights and a real byte-level BPE"
                  + " tokenizer, for trying the platform on a CPU. It learns the format of your"
                  + " data, not much else."),
          directory);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the demo model", e);
    } finally {
      deleteQuietly(directory);
    }
  }

  private static void deleteQuietly(Path directory) {
    if (directory == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // a temp folder left behind is harmless
    }
  }
}
