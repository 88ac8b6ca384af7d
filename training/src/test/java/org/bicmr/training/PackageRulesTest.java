package org.bicmr.training;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of the training module's main code, as the package-info files state them: no cycle between its
 * packages; the data package and the ONNX writer ({@code onnx}) use no other training package; the image tree
 * ({@code images.*}) stands on data and the ONNX writer alone;
 * the application layer ({@code app}) never uses the command line, and nothing but the command line does.
 */
class PackageRulesTest {
  private static JavaClasses main;

  @BeforeAll
  static void importMain() {
    main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("org.bicmr.training");
  }

  @Test
  void noCycleBetweenPackages() {
    slices().matching("org.bicmr.training.(**)").should().beFreeOfCycles().check(main);
  }

  @Test
  void dataUsesNoOtherTrainingPackage() {
    noClasses().that().resideInAPackage("org.bicmr.training.data..").should().dependOnClassesThat()
        .resideInAnyPackage("org.bicmr.training.app..", "org.bicmr.training.baseline..", "org.bicmr.training.cli..",
            "org.bicmr.training.demo..", "org.bicmr.training.eval..", "org.bicmr.training.export..",
            "org.bicmr.training.images..", "org.bicmr.training.model..", "org.bicmr.training.onnx..")
        .check(main);
  }

  @Test
  void theOnnxWriterUsesNoOtherTrainingPackage() {
    noClasses().that().resideInAPackage("org.bicmr.training.onnx..").should().dependOnClassesThat()
        .resideInAnyPackage("org.bicmr.training.app..", "org.bicmr.training.baseline..", "org.bicmr.training.cli..",
            "org.bicmr.training.data..", "org.bicmr.training.demo..", "org.bicmr.training.eval..",
            "org.bicmr.training.export..", "org.bicmr.training.images..", "org.bicmr.training.model..")
        .check(main);
  }

  @Test
  void theImageTreeStandsOnDataAndTheOnnxWriterAlone() {
    noClasses().that().resideInAPackage("org.bicmr.training.images..").should().dependOnClassesThat()
        .resideInAnyPackage("org.bicmr.training.app..", "org.bicmr.training.baseline..", "org.bicmr.training.cli..",
            "org.bicmr.training.demo..", "org.bicmr.training.eval..", "org.bicmr.training.export..",
            "org.bicmr.training.model..")
        .check(main);
  }

  @Test
  void onlyTheCommandLineUsesTheCommandLine() {
    noClasses().that().resideOutsideOfPackage("org.bicmr.training.cli..").should().dependOnClassesThat()
        .resideInAPackage("org.bicmr.training.cli..").check(main);
  }

  @Test
  void onlyTheApplicationAndTheCommandLineUseTheApplication() {
    noClasses().that().resideOutsideOfPackages("org.bicmr.training.app..", "org.bicmr.training.cli..").should()
        .dependOnClassesThat().resideInAPackage("org.bicmr.training.app..").check(main);
  }
}
