package dev.tuneforge.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * The module diagrams and canvases in {@code docs/modules} are generated from the Modulith model
 * by its {@link Documenter}, never drawn by hand: this test fails when the committed files differ
 * from what the code's modules give now. Run it with {@code -Dtuneforge.docs.update=true} to
 * write them anew.
 */
class ModuleDocumentationTest {
  private static final Path COMMITTED = Path.of("..", "docs", "modules");
  private static final Path GENERATED = Path.of("target", "modulith-docs");

  @Test
  void committedModuleDocsAreTheOnesTheModelGives() throws IOException {
    new Documenter(
            ApplicationModules.of(TuneforgeApplication.class),
            Documenter.Options.defaults().withOutputFolder(GENERATED.toString()))
        .writeModulesAsPlantUml()
        .writeIndividualModulesAsPlantUml()
        .writeModuleCanvases();
    List<String> generated = names(GENERATED);
    if (Boolean.getBoolean("tuneforge.docs.update")) {
      Files.createDirectories(COMMITTED);
      for (String stale : names(COMMITTED)) {
        Files.delete(COMMITTED.resolve(stale));
      }
      for (String name : generated) {
        Files.copy(GENERATED.resolve(name), COMMITTED.resolve(name));
      }
    }
    assertThat(names(COMMITTED))
        .as("docs/modules lists one file per generated one; regenerate with -Dtuneforge.docs.update=true")
        .isEqualTo(generated);
    for (String name : generated) {
      assertThat(sortedLines(COMMITTED.resolve(name)))
          .as("docs/modules/%s is out of date; regenerate with -Dtuneforge.docs.update=true", name)
          .isEqualTo(sortedLines(GENERATED.resolve(name)));
    }
  }

  /** The Documenter writes relations in no fixed order; their set is what the diagram says. */
  private static List<String> sortedLines(Path file) throws IOException {
    return Files.readAllLines(file).stream().sorted().toList();
  }

  private static List<String> names(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(file -> file.getFileName().toString()).sorted().toList();
    }
  }
}
