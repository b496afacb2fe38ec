package dev.kmsgate.kms.robust;

import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.KmsDefectException;
import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.generate.Profile;
import dev.kmsgate.kms.maven.ConvertMojo;
import dev.kmsgate.kms.maven.VerifyMojo;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What a build shows of a user error: Maven prints only the goal's exception message unless -e or
 * -X is given, so that message must be the core's one or two sentences, with the core's exception
 * chained as the cause for -e. A defect is a MojoFailureException, a user error a MojoExecutionException (Maven prints BUILD FAILURE for both).
 */
class MojoErrorsTest {

    @TempDir
    Path dir;

    private final MojoRunner.RecordingLog log = new MojoRunner.RecordingLog();

    @AfterEach
    void shutdown() {
        Fixtures.shutdown(Fixtures.source(dir), Fixtures.target(dir));
    }

    private Map<String, Object> convert(int capacity, String strategy) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("source", "kms50");
        parameters.put("target", "kms55");
        parameters.put("transactionCapacity", capacity);
        parameters.put("strategy", strategy);
        parameters.put("restart", false);
        parameters.put("progressSeconds", 5);
        return parameters;
    }

    private MojoExecutionException buildError(AbstractMojo mojo, Map<String, Object> parameters, String expected) {
        MojoExecutionException error = assertThrows(MojoExecutionException.class,
                () -> MojoRunner.configure(mojo, dir, log, parameters).execute());
        assertEquals(expected, error.getMessage());
        UserErrors.assertReadable(error.getMessage());
        assertInstanceOf(KmsUsageException.class, error.getCause(), "the core's exception stays chained for -e");
        return error;
    }

    @Test
    void aCapacityBelowOneIsABuildErrorInOneSentencePair() {
        buildError(new ConvertMojo(), convert(0, "chunked"), Messages.format(Messages.CAPACITY_TOO_SMALL, 0));
    }

    @Test
    void anUnknownStrategyIsABuildError() {
        buildError(new ConvertMojo(), convert(10, "fastest"), Messages.format(Messages.UNKNOWN_STRATEGY, "fastest", "chunked, single-transaction"));
    }

    @Test
    void aMissingSourceIsABuildError() {
        buildError(new ConvertMojo(), convert(10, "chunked"), Messages.format(Messages.DATABASE_MISSING, "source", dir.resolve("kms50")));
    }

    @Test
    void aMissingTargetToVerifyIsABuildError() {
        Fixtures.generate(dir, Fixtures.DIRTY);
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("source", "kms50");
        parameters.put("target", "kms55");
        parameters.put("reportsDirectory", dir.resolve("target/kms-reports").toFile());
        parameters.put("mismatchLimit", 10);
        parameters.put("checkConversionRecord", true);
        buildError(new VerifyMojo(), parameters, Messages.format(Messages.DATABASE_MISSING, "target", dir.resolve("kms55")));
    }

    @Test
    void aConversionAbortedUnderTheCapacityIsABuildFailure() {
        Fixtures.generate(dir, new Profile(30, 12, 3, 2, 0, 0, 5L));
        MojoFailureException failure = assertThrows(MojoFailureException.class,
                () -> MojoRunner.configure(new ConvertMojo(), dir, log, convert(10, "single-transaction")).execute());
        assertEquals(Messages.format(Messages.CONVERSION_ABORTED, 11, 10, "single-transaction", 10), failure.getMessage());
        UserErrors.assertReadable(failure.getMessage());
        assertInstanceOf(KmsDefectException.class, failure.getCause());
    }
}
