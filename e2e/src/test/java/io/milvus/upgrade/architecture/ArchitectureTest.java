package io.milvus.upgrade.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.milvus.upgrade.image.ImageReference;
import org.junit.jupiter.api.Test;

/**
 * The structure the style guide asks for, checked on the main classes of every module (this
 * module has them all on its class path): no package cycles, a controller that stands on the
 * shared model alone, and a generic admission layer that knows nothing about Milvus.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar")) // the modules' test fixtures
            .importPackages("io.milvus.upgrade");

    /** The packages of module api (artifact milvus-api). */
    private static final String[] SHARED_MODEL = {"io.milvus.upgrade.api..", "io.milvus.upgrade.version..", "io.milvus.upgrade.image..",
            "io.milvus.upgrade.policy..", "io.milvus.upgrade.plan..", "io.milvus.upgrade.verdict..", "io.milvus.upgrade.defaults..",
            "io.milvus.upgrade.components..", "io.milvus.upgrade.config..", "io.milvus.upgrade.log.."};

    @Test
    void noPackageCycles() {
        slices().matching("io.milvus.upgrade.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theControllerNeedsNothingOfTheWebhook() {
        noClasses().that().resideInAPackage("io.milvus.upgrade.controller..")
                .should().dependOnClassesThat().resideInAnyPackage("io.milvus.upgrade.admission..", "io.milvus.upgrade.milvus..",
                        "io.milvus.upgrade.milvusupgrade..", "io.milvus.upgrade.conversion..", "io.milvus.upgrade.cluster..",
                        "io.milvus.upgrade.server..", "io.milvus.upgrade.cli..", "io.milvus.upgrade.certs..")
                .check(MAIN);
    }

    @Test
    void theSharedModelNeedsNeitherSide() {
        noClasses().that().resideInAnyPackage(SHARED_MODEL)
                .should().dependOnClassesThat().resideInAnyPackage("io.milvus.upgrade.admission..", "io.milvus.upgrade.milvus..",
                        "io.milvus.upgrade.milvusupgrade..", "io.milvus.upgrade.conversion..", "io.milvus.upgrade.cluster..",
                        "io.milvus.upgrade.server..", "io.milvus.upgrade.cli..", "io.milvus.upgrade.controller..", "io.milvus.upgrade.edge..")
                .check(MAIN);
    }

    /** The model, the policy and the versions; a command line's option parsing and a metrics library are the programs' own (module edge). */
    @Test
    void theSharedModelNeedsNoCommandLineOrMetricsLibrary() {
        noClasses().that().resideInAnyPackage(SHARED_MODEL)
                .should().dependOnClassesThat().resideInAnyPackage("picocli..", "io.prometheus..")
                .check(MAIN);
    }

    /** Libraries log through SLF4J; which format the lines take (Logback, text or JSON) is the programs' choice, made in edge. */
    @Test
    void onlyTheEdgeKnowsTheLoggingBackend() {
        noClasses().that().resideOutsideOfPackage("io.milvus.upgrade.edge..")
                .should().dependOnClassesThat().resideInAnyPackage("ch.qos.logback..", "net.logstash..")
                .check(MAIN);
    }

    /**
     * One image-name rule: a reference is made from text by {@code ImageReference.parse} alone,
     * which only the {@code image} package may bypass. What ArchUnit cannot see (a class cutting an
     * image string at its ':' by hand) {@code duplicates} and review have to catch.
     */
    @Test
    void noClassOutsideImageBuildsAnImageReferenceButByParsingIt() {
        noClasses().that().resideOutsideOfPackage("io.milvus.upgrade.image..")
                .should().callConstructor(ImageReference.class, String.class, String.class, String.class, String.class)
                .check(MAIN);
    }

    @Test
    void theAdmissionLayerKnowsNothingAboutMilvus() {
        noClasses().that().resideInAPackage("io.milvus.upgrade.admission..")
                .should().dependOnClassesThat().resideInAnyPackage("io.milvus.upgrade.api.v1beta1..", "io.milvus.upgrade.api.v1alpha1..",
                        "io.milvus.upgrade.milvus..", "io.milvus.upgrade.milvusupgrade..", "io.milvus.upgrade.policy..",
                        "io.milvus.upgrade.cluster..", "io.milvus.upgrade.conversion..")
                .check(MAIN);
    }

    /**
     * The HTTP layer takes its conversion endpoint as an interface; the CLI passes Milvus's. The
     * deadline it sets for each review is the generic admission layer's ReviewDeadline, which the
     * cluster lookups read.
     */
    @Test
    void theServerKnowsNothingAboutMilvus() {
        noClasses().that().resideInAPackage("io.milvus.upgrade.server..")
                .should().dependOnClassesThat().resideInAnyPackage("io.milvus.upgrade.api.v1beta1..", "io.milvus.upgrade.api.v1alpha1..",
                        "io.milvus.upgrade.milvus..", "io.milvus.upgrade.milvusupgrade..", "io.milvus.upgrade.policy..",
                        "io.milvus.upgrade.conversion..", "io.milvus.upgrade.cluster..")
                .check(MAIN);
    }
}
