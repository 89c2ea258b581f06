package dev.tuneforge.modelformat;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The model format loads in the app as it is: no engine, no NDArrays, no Spring, no node or app
 * code. DJL's Hugging Face tokenizers (native, but no engine) are allowed: an import loads
 * tokenizer.json as training will.
 */
class ModelFormatBoundariesTest {
  private static final JavaClasses MODEL_FORMAT =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.tuneforge.modelformat");

  @Test
  void theModelFormatNeedsNoEngineAndKnowsNeitherNodeNorApp() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "ai.djl.pytorch..",
            "ai.djl.ndarray..",
            "ai.djl.engine..",
            "ai.djl.nn..",
            "ai.djl.training..",
            "org.springframework..",
            "com.vaadin..",
            "dev.tuneforge.trainingnode..",
            "dev.tuneforge.app..")
        .check(MODEL_FORMAT);
  }
}
