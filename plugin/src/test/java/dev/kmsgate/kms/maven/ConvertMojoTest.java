package dev.kmsgate.kms.maven;

import dev.kmsgate.kms.KmsDefectException;
import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.store.Credentials;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Databases;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Wiring of kms:convert through the real plugin descriptor: parameters, defaults, user properties,
 * and the two Maven outcomes. The project lives in a temporary directory, so the goals' defaults
 * ({@code ${project.build.directory}/kms/...}) point there.
 */
@MojoTest
class ConvertMojoTest {

    @TempDir
    Path dir;

    @Inject
    MavenProject project;

    @Inject
    MavenSession session;

    private final RecordingLog log = new RecordingLog();

    @BeforeEach
    void projectInTemporaryDirectory() throws Exception {
        MojoExtension.setVariableValueToObject(project, "basedir", dir.toFile());
        project.getBuild().setDirectory(dir.resolve("target").toString());
    }

    @AfterEach
    void shutdownDatabases() {
        for (String name : List.of("kms50", "kms55")) {
            Path database = dir.resolve("target/kms").resolve(name);
            Databases.shutdown(DatabaseAddress.parse(name, database.toString(), dir), Credentials.NONE);
        }
    }

    @Test
    @InjectMojo(goal = "convert")
    @MojoParameter(name = "skip", value = "true")
    @MojoParameter(name = "transactionCapacity", value = "0")
    void skipLogsWhyAndTouchesNothing(ConvertMojo convert) throws Exception {
        convert.setLog(log);
        convert.execute();

        assertEquals(List.of("[info] Skipping kms:convert (skip is true, -Dkms.skip)."), log.lines());
        // (Surefire presets derby.stream.error.file, so the engine log is not placed here either way;
        // the invoker IT "skip" checks that a skipped goal does not create target/ for it.)
        assertFalse(Files.exists(dir.resolve("target")), "skip must not even create the build directory");
    }

    @Test
    @InjectMojo(goal = "convert")
    @MojoParameter(name = "transactionCapacity", value = "0")
    void capacityZeroIsAnExecutionErrorNamingTheElement(ConvertMojo convert) {
        convert.setLog(log);
        MojoExecutionException error = assertThrows(MojoExecutionException.class, convert::execute);

        assertEquals("<transactionCapacity> is 0, but must be at least 1. Set it to the number of row changes one transaction "
                + "of the target store can hold (default 1000).", error.getMessage());
        assertEquals(Messages.format(Messages.CAPACITY_TOO_SMALL, 0), error.getMessage());
        assertInstanceOf(KmsUsageException.class, error.getCause());
        assertEquals(List.of(), log.lines());
        assertFalse(Files.exists(dir.resolve("target/kms")));
    }

    @Test
    @InjectMojo(goal = "convert")
    void defaultsAreTheContractsAndPointIntoTheBuildDirectory(ConvertMojo convert) {
        assertEquals(1000, (int) getField(convert, "transactionCapacity"));
        assertEquals("chunked", getField(convert, "strategy"));
        assertEquals(dir.resolve("target/kms/kms50").toString(), getField(convert, "source"));
        assertEquals(dir.resolve("target/kms/kms55").toString(), getField(convert, "target"));
    }

    @Test
    @InjectMojo(goal = "convert")
    @MojoParameter(name = "strategy", value = "bogus")
    void unknownStrategyIsAnExecutionErrorListingTheAllowedOnes(ConvertMojo convert) {
        convert.setLog(log);
        MojoExecutionException error = assertThrows(MojoExecutionException.class, convert::execute);

        assertEquals("<strategy> is 'bogus', but must be one of: chunked, single-transaction. Use 'chunked' (the default) "
                + "to convert; 'single-transaction' only reproduces the KB Q193567 defect.", error.getMessage());
        assertEquals(Messages.format(Messages.UNKNOWN_STRATEGY, "bogus", "chunked, single-transaction"), error.getMessage());
        assertInstanceOf(KmsUsageException.class, error.getCause());
        assertFalse(Files.exists(dir.resolve("target/kms")));
    }

    @Test
    @InjectMojo(goal = "convert")
    void missingSourceAtTheDefaultLocationIsAnExecutionError(ConvertMojo convert) {
        convert.setLog(log);
        MojoExecutionException error = assertThrows(MojoExecutionException.class, convert::execute);

        assertEquals(Messages.format(Messages.DATABASE_MISSING, "source", dir.resolve("target/kms/kms50")), error.getMessage());
        assertFalse(Files.exists(dir.resolve("target/kms/kms55")), "no target is created for a missing source");
    }

    @Test
    void singleTransactionBeyondCapacityIsABuildFailure(
            @InjectMojo(goal = "generate")
            @MojoParameter(name = "users", value = "10")
            @MojoParameter(name = "revoked", value = "8")
            @MojoParameter(name = "duplicateRevocations", value = "0")
            @MojoParameter(name = "orphanRevocations", value = "0")
            @MojoParameter(name = "orphanCertificates", value = "0")
            @MojoParameter(name = "orphanKeys", value = "0")
            GenerateMojo generate,
            @InjectMojo(goal = "convert")
            @MojoParameter(name = "strategy", value = "single-transaction")
            @MojoParameter(name = "transactionCapacity", value = "5")
            ConvertMojo convert) throws Exception {
        generate.setLog(new RecordingLog());
        generate.execute();
        convert.setLog(log);

        MojoFailureException failure = assertThrows(MojoFailureException.class, convert::execute);

        // 8 revocations in one transaction: the guard refuses it at its 6th row change
        assertEquals("Conversion aborted under the transaction capacity: one transaction reached 6 row changes, but the target "
                + "accepts at most 5 (<transactionCapacity>). This is the KB Q193567 defect of strategy 'single-transaction'; "
                + "use strategy 'chunked', which commits at most 5 row changes at a time.", failure.getMessage());
        assertInstanceOf(KmsDefectException.class, failure.getCause());
        assertEquals("[info] Converting " + dir.resolve("target/kms/kms50") + " into " + dir.resolve("target/kms/kms55")
                + " (strategy single-transaction, transactionCapacity 5): 10 users, 20 certificates, 10 keys, 8 CRL rows.",
                log.lines().get(0));
        assertTrue(log.lines().stream().noneMatch(line -> line.startsWith("[info] Converted ")), log::toString);
    }

    /** The same value reaches every goal through one {@code -Dkms.<parameter>}; the POM still wins. */
    @Nested
    class KmsUserProperties {

        @BeforeEach
        void userProperties() {
            // what -Dkms.transactionCapacity=0 -Dkms.strategy=single-transaction puts in the session
            session.getUserProperties().setProperty("kms.transactionCapacity", "0");
            session.getUserProperties().setProperty("kms.strategy", "single-transaction");
        }

        @Test
        @InjectMojo(goal = "convert")
        void reachTheParametersOfTheSameName(ConvertMojo convert) {
            assertEquals(0, (int) getField(convert, "transactionCapacity"));
            assertEquals("single-transaction", getField(convert, "strategy"));

            MojoExecutionException error = assertThrows(MojoExecutionException.class, convert::execute);
            assertEquals(Messages.format(Messages.CAPACITY_TOO_SMALL, 0), error.getMessage());
        }

        @Test
        @InjectMojo(goal = "convert")
        @MojoParameter(name = "transactionCapacity", value = "7")
        void loseToThePomConfiguration(ConvertMojo convert) {
            assertEquals(7, (int) getField(convert, "transactionCapacity"));
            assertEquals("single-transaction", getField(convert, "strategy"));
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T getField(Object mojo, String name) {
        try {
            return (T) MojoExtension.getVariableValueFromObject(mojo, name);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }
}
