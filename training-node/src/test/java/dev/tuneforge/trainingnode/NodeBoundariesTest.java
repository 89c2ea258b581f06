package dev.tuneforge.trainingnode;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The node stays a plain Java process: no Spring, no Vaadin, and the trainer knows no agent. */
class NodeBoundariesTest {
  private static final JavaClasses NODE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.tuneforge.trainingnode");

  @Test
  void theNodeNeverImportsSpringOrVaadin() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework..", "com.vaadin..")
        .check(NODE);
  }

  @Test
  void thePackagesFormNoCycle() {
    slices().matching("dev.tuneforge.trainingnode.(*)..").should().beFreeOfCycles().check(NODE);
  }

  @Test
  void theTrainerLibraryDoesNotDependOnTheAgent() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.tuneforge.trainingnode.train..", "dev.tuneforge.trainingnode.model..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.tuneforge.trainingnode.agent..")
        .check(NODE);
  }
}
