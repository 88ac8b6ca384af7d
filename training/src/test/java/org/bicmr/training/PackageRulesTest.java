package org.bicmr.training;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of the training module's main code, as the package-info files state them: no cycle between its
 * packages; the data package and the ONNX writer ({@code onnx}) use no other training package; the image tree
 * ({@code images.*}) stands on data and the ONNX writer alone;
 * the application layer ({@code app}) never uses the command line, and nothing but the command line does.
 */
class PackageRulesTest {
  private static final String ROOT = "org.bicmr.training";
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
    usesOnly("data");
  }

  @Test
  void theOnnxWriterUsesNoOtherTrainingPackage() {
    usesOnly("onnx");
  }

  @Test
  void theImageTreeStandsOnDataAndTheOnnxWriterAlone() {
    usesOnly("images", "data", "onnx");
  }

  /**
   * The classes of training package {@code name} (and below) use no other training package than {@code allowed}: every
   * other top-level package of the module's main code, as imported, is banned.
   */
  private static void usesOnly(String name, String... allowed) {
    Set<String> permitted = new HashSet<>(List.of(allowed));
    permitted.add(name);
    String[] banned = main.stream().map(JavaClass::getPackageName)
        .filter(p -> p.startsWith(ROOT + ".")).map(p -> p.substring(ROOT.length() + 1).split("\\.")[0])
        .distinct().filter(p -> !permitted.contains(p)).sorted().map(p -> ROOT + "." + p + "..")
        .toArray(String[]::new);
    noClasses().that().resideInAPackage(ROOT + "." + name + "..").should().dependOnClassesThat()
        .resideInAnyPackage(banned).check(main);
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
