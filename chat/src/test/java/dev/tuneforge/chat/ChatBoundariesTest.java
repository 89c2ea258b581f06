package dev.tuneforge.chat;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The chat library loads in the app as it is: no engine, no NDArrays, no Spring, no node or app
 * code.
 */
class ChatBoundariesTest {
  private static final JavaClasses CHAT =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.tuneforge.chat");

  @Test
  void theChatLibraryNeedsNoEngineAndKnowsNeitherNodeNorApp() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "ai.djl.pytorch..",
            "ai.djl.ndarray..",
            "ai.djl.engine..",
            "org.springframework..",
            "com.vaadin..",
            "dev.tuneforge.trainingnode..",
            "dev.tuneforge.app..")
        .check(CHAT);
  }
}
