package dev.tuneforge.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/**
 * The feature packages are modules: no cycles, only their root packages used from outside, and no
 * domain code that reaches into a view.
 */
class ModularityTest {
  private static final JavaClasses APP =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.tuneforge.app");

  @Test
  void featureModulesRespectTheirBoundaries() {
    ApplicationModules.of(TuneforgeApplication.class).verify();
  }

  @Test
  void featuresHaveNoCycles() {
    slices().matching("dev.tuneforge.app.(*)..").should().beFreeOfCycles().check(APP);
  }

  @Test
  void domainCodeNeverDependsOnViews() {
    noClasses()
        .that()
        .resideOutsideOfPackages("..ui..")
        .and()
        .doNotHaveSimpleName("SecurityConfig")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("..ui..")
        .check(APP);
  }
}
