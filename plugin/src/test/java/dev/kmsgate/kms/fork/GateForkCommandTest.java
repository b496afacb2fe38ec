package dev.kmsgate.kms.fork;

import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** How {@code argLine} becomes the gate's JVM's command line; nothing is forked. */
class GateForkCommandTest {

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final String MAIN = "dev.kmsgate.kms.fork.GateFork";

    private static List<String> commandOf(String... options) {
        List<String> command = new ArrayList<>();
        command.add(JAVA);
        command.addAll(List.of(options));
        command.add(MAIN);
        return command;
    }

    @Test
    void plainOptionsAreSplitAtSpaces() {
        assertEquals(commandOf("-XX:TieredStopAtLevel=1", "-XX:+UseParallelGC", "-Xmx2g"),
                GateFork.command("  -XX:TieredStopAtLevel=1   -XX:+UseParallelGC -Xmx2g "));
    }

    @Test
    void theDefaultArgLineIsThreeOptions() {
        assertEquals(commandOf("-XX:TieredStopAtLevel=1", "-XX:+UseParallelGC", "-XX:MaxRAM=4g"), GateFork.command(GateFork.DEFAULT_ARG_LINE));
    }

    @Test
    void lineBreaksAndTabsOfAnArgLineSpreadOverLinesSeparateOptions() {
        assertEquals(commandOf("-Xmx2g", "-XX:+UseParallelGC", "-Dkms.probe=x"),
                GateFork.command("\n      -Xmx2g\n      -XX:+UseParallelGC\t-Dkms.probe=x\n    "));
    }

    @Test
    void anOptionHoldingASpaceInDoubleQuotesIsOneArgumentWithoutItsQuotes() {
        assertEquals(commandOf("-Xmx2g", "-Dkms.probe=a b", "-XX:+UseParallelGC"),
                GateFork.command("-Xmx2g -Dkms.probe=\"a b\" -XX:+UseParallelGC"));
    }

    @Test
    void anOptionHoldingASpaceInSingleQuotesIsOneArgumentWithoutItsQuotes() {
        assertEquals(commandOf("-Dkms.probe=a  b", "-Dother=it's"),
                GateFork.command("'-Dkms.probe=a  b' -Dother=\"it's\""));
    }

    @Test
    void aBlankOrMissingArgLineGivesJustJavaAndTheMainClass() {
        assertEquals(List.of(JAVA, MAIN), GateFork.command(null));
        assertEquals(List.of(JAVA, MAIN), GateFork.command(""));
        assertEquals(List.of(JAVA, MAIN), GateFork.command(" \n\t "));
    }

    @Test
    void anUnclosedQuoteIsAUsageErrorNamingArgLineAndItsValue() {
        KmsUsageException e = assertThrows(KmsUsageException.class, () -> GateFork.command("-Xmx2g -Dkms.probe=\"a b"));
        assertEquals("<argLine> is '-Xmx2g -Dkms.probe=\"a b', but a quote in it is not closed. Close each \" or ' that opens,"
                + " e.g. -Dname=\"a b\" for an option holding a space (-Dkms.argLine sets it too).", e.getMessage());
        assertEquals(Messages.format(Messages.ARG_LINE_UNBALANCED_QUOTES, "-Xmx2g -Dkms.probe=\"a b"), e.getMessage());
    }

    @Test
    void anUnclosedSingleQuoteIsAUsageErrorToo() {
        KmsUsageException e = assertThrows(KmsUsageException.class, () -> GateFork.command("-Dkms.probe='a"));
        assertEquals(Messages.format(Messages.ARG_LINE_UNBALANCED_QUOTES, "-Dkms.probe='a"), e.getMessage());
    }
}
