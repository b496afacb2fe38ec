package dev.kmsgate.kms;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The packages' layering, checked on the compiled main classes (the plugin's, and the api
 * module's from its jar), never on the tests. Data flows one way: maven -> cache -> fork -> gate ->
 * convert, verify, generate -> store; report renders the gate's and the verifier's records for
 * maven and fork; the root package ({@link KmsException}, {@link Messages}, {@link Parameters},
 * {@link KmsLog}, {@link Progress}) is shared by all and depends on none. Each rule states what
 * holds, so a new dependency against the flow fails the build; {@code cache} (the verdict store,
 * for maven, over fork, gate, report and store) runs the gate's job or reuses its stored verdict.
 */
@AnalyzeClasses(packages = "dev.kmsgate.kms", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    private static final String MAVEN = "dev.kmsgate.kms.maven..";
    private static final String FORK = "dev.kmsgate.kms.fork..";
    private static final String CACHE = "dev.kmsgate.kms.cache..";
    private static final String REPORT = "dev.kmsgate.kms.report..";
    private static final String GATE = "dev.kmsgate.kms.gate..";
    private static final String CONVERT = "dev.kmsgate.kms.convert..";
    private static final String VERIFY = "dev.kmsgate.kms.verify..";
    private static final String GENERATE = "dev.kmsgate.kms.generate..";
    private static final String STORE = "dev.kmsgate.kms.store..";
    private static final String API = "dev.kmsgate.kms.api..";

    @ArchTest
    static final ArchRule theSubPackagesDependOnEachOtherWithoutCycles =
            slices().matching("dev.kmsgate.kms.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule onlyTheGoalsKnowMaven =
            noClasses().that().resideOutsideOfPackage(MAVEN)
                    .should().dependOnClassesThat().resideInAPackage("org.apache.maven..");

    /** The one exception: fork splits argLine with plexus-utils' command-line tokenizer, as Surefire does. */
    @ArchTest
    static final ArchRule onlyTheGoalsKnowPlexusButForTheForksTokenizer =
            noClasses().that().resideOutsideOfPackage(MAVEN)
                    .should().dependOnClassesThat(resideInAPackage("org.codehaus.plexus..")
                            .and(resideInAPackage("org.codehaus.plexus.util.cli..").negate()));

    @ArchTest
    static final ArchRule onlyTheGoalsAndForkUsePlexusCommandLines =
            noClasses().that().resideOutsideOfPackages(MAVEN, FORK)
                    .should().dependOnClassesThat().resideInAPackage("org.codehaus.plexus.util.cli..");

    @ArchTest
    static final ArchRule theStoreKnowsNothingAboveIt =
            noClasses().that().resideInAPackage(STORE)
                    .should().dependOnClassesThat().resideInAnyPackage(MAVEN, FORK, CACHE, REPORT, GATE, CONVERT, VERIFY, GENERATE);

    @ArchTest
    static final ArchRule theApiDependsOnlyOnTheJdk =
            classes().that().resideInAPackage(API)
                    .should().onlyDependOnClassesThat().resideInAnyPackage("java..", API);

    @ArchTest
    static final ArchRule theSharedRootPackageDependsOnlyOnTheJdk =
            classes().that().resideInAPackage("dev.kmsgate.kms")
                    .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.kmsgate.kms");

    /**
     * Who may use whom, as it holds: an upper layer may skip the ones between (maven calls
     * convert, verify and generate for their own goals; fork's job builds the gate's converter,
     * profiles and databases), but nothing reaches up, and convert, verify and generate do not
     * use each other. report sits above gate: it reads gate's, verify's, generate's and store's
     * records, so gate cannot use it without a cycle.
     */
    @ArchTest
    static final ArchRule theLayersAreUsedOneWay =
            layeredArchitecture().consideringOnlyDependenciesInLayers()
                    .layer("Maven").definedBy(MAVEN)
                    .layer("Fork").definedBy(FORK)
                    .optionalLayer("Cache").definedBy(CACHE)
                    .layer("Report").definedBy(REPORT)
                    .layer("Gate").definedBy(GATE)
                    .layer("Convert").definedBy(CONVERT)
                    .layer("Verify").definedBy(VERIFY)
                    .layer("Generate").definedBy(GENERATE)
                    .layer("Store").definedBy(STORE)
                    .layer("Shared").definedBy("dev.kmsgate.kms")
                    .layer("Api").definedBy(API)

                    .whereLayer("Maven").mayNotBeAccessedByAnyLayer()
                    .whereLayer("Fork").mayOnlyBeAccessedByLayers("Maven", "Cache")
                    .whereLayer("Cache").mayOnlyBeAccessedByLayers("Maven")
                    .whereLayer("Cache").mayOnlyAccessLayers("Fork", "Gate", "Report", "Store", "Shared")
                    .whereLayer("Report").mayOnlyBeAccessedByLayers("Maven", "Fork", "Cache")
                    .whereLayer("Gate").mayOnlyBeAccessedByLayers("Maven", "Fork", "Cache", "Report")
                    .whereLayer("Convert").mayOnlyBeAccessedByLayers("Maven", "Fork", "Gate")
                    .whereLayer("Verify").mayOnlyBeAccessedByLayers("Maven", "Gate", "Report")
                    .whereLayer("Generate").mayOnlyBeAccessedByLayers("Maven", "Fork", "Gate", "Report")
                    .whereLayer("Store").mayOnlyBeAccessedByLayers("Maven", "Fork", "Cache", "Report", "Gate", "Convert", "Verify", "Generate")
                    .whereLayer("Shared").mayNotAccessAnyLayer()
                    .whereLayer("Api").mayOnlyBeAccessedByLayers("Convert")
                    .whereLayer("Api").mayNotAccessAnyLayer();
}
