package dev.kmsgate.kms.fork;

import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.KmsDefectException;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.gate.GateCase;
import dev.kmsgate.kms.generate.Profile;
import dev.kmsgate.kms.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gate in a JVM of its own, each test forking a real one, against the same gate in this JVM. */
class GateForkTest {

    private static final String ARG_LINE = GateFork.DEFAULT_ARG_LINE;

    @TempDir
    Path dir;

    private GateJob job(String name, String strategy, String converterClass) {
        Path home = dir.resolve(name);
        // a capacity of 7 keeps every case small; progress lines would depend on the machine's speed
        return new GateJob(7, strategy, List.of(new GateCase("mine", new Profile(30, 12, 2, 3, 2, 1, 5L))), 2, 3, 1L, 5,
                home.resolve("work"), 3600, converterClass, List.of(), 3, null, home.resolve("reports"), home.resolve("derby.log"));
    }

    @Test
    void aForkedGateLogsTheLinesAndWritesTheReportsOfTheGateInThisJvm() throws IOException {
        List<String> here = new ArrayList<>();
        List<String> forked = new ArrayList<>();
        job("here", "chunked", null).run(Fixtures.levelledLogTo(here));
        // a derby.* property of this JVM (read by its Derby long ago) must reach the gate's Derby, on its input
        Path engineLog = dir.resolve("the-gates-own-derby.log");
        String before = System.setProperty("derby.stream.error.file", engineLog.toString());
        try {
            assertTrue(GateFork.command(ARG_LINE).stream().noneMatch(argument -> argument.contains("derby.")), GateFork.command(ARG_LINE)::toString);
            GateFork.run(job("forked", "chunked", null), ARG_LINE, Map.of(), Fixtures.levelledLogTo(forked));
        } finally {
            if (before == null) {
                System.clearProperty("derby.stream.error.file");
            } else {
                System.setProperty("derby.stream.error.file", before);
            }
        }

        assertEquals(comparable(here, "here"), comparable(forked, "forked"));
        assertEquals("[INFO] Report: " + dir.resolve("forked").resolve("reports").resolve("index.html").toAbsolutePath(),
                forked.get(forked.size() - 1));
        assertEquals(reportFiles(dir.resolve("here")), reportFiles(dir.resolve("forked")));
        assertTrue(Files.readString(engineLog).contains("Booting Derby"), engineLog::toString);
    }

    @Test
    void aGateThatFailsInItsOwnJvmFailsWithTheMessageItFailsWithInThisJvm() {
        KmsDefectException here = assertThrows(KmsDefectException.class, () -> job("here", "single-transaction", null).run(KmsLog.silent()));
        KmsDefectException forked = assertThrows(KmsDefectException.class,
                () -> GateFork.run(job("forked", "single-transaction", null), ARG_LINE, Map.of(), KmsLog.silent()));

        assertEquals(here.getMessage(), forked.getMessage());
        assertTrue(forked.getMessage().startsWith("The KMS gate failed at transactionCapacity 7 with strategy 'single-transaction': "),
                forked.getMessage());
    }

    @Test
    void aReportsDirectoryThatIsAFileIsRefusedBeforeTheGateRunsInEitherJvm() throws IOException {
        GateJob here = job("here", "chunked", null);
        GateJob forked = job("forked", "chunked", null);
        for (GateJob job : List.of(here, forked)) {
            Files.createDirectories(job.reportsDirectory().getParent());
            Files.writeString(job.reportsDirectory(), "not a directory");
        }
        KmsUsageException inThisJvm = assertThrows(KmsUsageException.class, () -> here.run(KmsLog.silent()));
        KmsUsageException inItsOwn = assertThrows(KmsUsageException.class, () -> GateFork.run(forked, ARG_LINE, Map.of(), KmsLog.silent()));

        String reports = here.reportsDirectory().toString();
        assertEquals("<reportsDirectory> is " + reports + ", where the gate cannot write its reports (java.nio.file.FileAlreadyExistsException: "
                + reports + "). Point -Dkms.reportsDirectory at a directory this build may write, or remove what is in the way.",
                inThisJvm.getMessage());
        assertEquals(inThisJvm.getMessage().replace(dir.resolve("here").toString(), "<home>"),
                inItsOwn.getMessage().replace(dir.resolve("forked").toString(), "<home>"));
        assertFalse(Files.exists(here.workDirectory()), "no gate ran");
        assertFalse(Files.exists(forked.workDirectory()), "no gate ran");
    }

    @Test
    void aConverterTheGatesJvmCannotFindIsTheUsageErrorOfThisJvm() {
        KmsUsageException forked = assertThrows(KmsUsageException.class,
                () -> GateFork.run(job("forked", "chunked", "com.example.NoSuchConverter"), ARG_LINE, Map.of(), KmsLog.silent()));

        assertEquals(Messages.format(Messages.CONVERTER_NOT_FOUND, "com.example.NoSuchConverter"), forked.getMessage());
    }

    @Test
    void aConverterInTheGatesJvmSeesTheBuildsUserPropertiesAsItWouldInMavensJvm() throws Exception {
        assertEquals(null, System.getProperty(ProbeConverter.PROPERTY));
        Path classes = Path.of(ProbeConverter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path home = dir.resolve("probe");
        GateJob job = new GateJob(7, "chunked", List.of(), 2, 3, 1L, 5, home.resolve("work"), 3600, ProbeConverter.class.getName(),
                List.of(classes), 0, null, home.resolve("reports"), home.resolve("derby.log"));
        List<String> lines = new ArrayList<>();

        GateFork.run(job, ARG_LINE, Map.of(ProbeConverter.PROPERTY, "set with -D"), Fixtures.levelledLogTo(lines));

        assertTrue(lines.contains("[INFO] [0-chunked] ProbeConverter: kms.fork.probe is set with -D"), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("[INFO] GATE PASSED: 8 of 8 cases pass at transactionCapacity 7 ")),
                String.join("\n", lines));
        // the default argLine's -XX:MaxRAM=4g: at most 1 GiB of heap, where this JVM's default would be a quarter of the machine's memory
        String heap = "[INFO] [0-chunked] ProbeConverter: max heap ";
        long mib = lines.stream().filter(line -> line.startsWith(heap) && line.endsWith(" MiB")).mapToLong(
                line -> Long.parseLong(line.substring(heap.length(), line.length() - " MiB".length()))).findFirst().orElseThrow();
        assertTrue(mib <= 1024, mib + " MiB");
    }

    @Test
    void aJvmThatCannotStartWithTheArgLineNamesItsExitStatusAndTheFix() {
        KmsUsageException refused = assertThrows(KmsUsageException.class,
                () -> GateFork.run(job("forked", "chunked", null), "-XX:+NoSuchOptionOfKmsGate", Map.of(), KmsLog.silent()));

        assertEquals("The gate's JVM exited with status 1 before the gate finished; what it printed is above. Check <argLine> "
                + "('-XX:+NoSuchOptionOfKmsGate', -Dkms.argLine), or run the gate in Maven's own JVM with -Dkms.fork=false.",
                refused.getMessage());
    }

    @Test
    void anInterruptedGoalKeepsTheOutcomeItHasAndStopsAGateWithout() {
        Thread.currentThread().interrupt();
        KmsUsageException outcome = assertThrows(KmsUsageException.class,
                () -> GateFork.run(job("forked", "chunked", "com.example.NoSuchConverter"), ARG_LINE, Map.of(), KmsLog.silent()));
        assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
        assertEquals(Messages.format(Messages.CONVERTER_NOT_FOUND, "com.example.NoSuchConverter"), outcome.getMessage());

        Thread.currentThread().interrupt();
        KmsUsageException interrupted = assertThrows(KmsUsageException.class,
                () -> GateFork.run(job("forked", "chunked", null), "-XX:+NoSuchOptionOfKmsGate", Map.of(), KmsLog.silent()));
        assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
        assertEquals("The build was interrupted while the gate ran in its own JVM, which has been stopped. Run it again: cases start "
                + "over on fresh targets.", interrupted.getMessage());
    }

    @Test
    void aJavaThatCannotBeRunIsNamedWithTheFix() {
        Path missing = dir.resolve("no-such-java-home");
        String javaHome = System.getProperty("java.home");
        KmsUsageException refused;
        System.setProperty("java.home", missing.toString());
        try {
            refused = assertThrows(KmsUsageException.class, () -> GateFork.run(job("forked", "chunked", null), ARG_LINE, Map.of(),
                    KmsLog.silent()));
        } finally {
            System.setProperty("java.home", javaHome);
        }
        String java = missing.resolve("bin").resolve("java").toString();
        // the middle is the operating system's reason
        assertTrue(refused.getMessage().startsWith("Cannot start the gate's JVM (" + java + "): Cannot run program \"" + java + "\""),
                refused.getMessage());
        assertTrue(refused.getMessage().endsWith(". Check the Java that runs Maven, or run the gate in Maven's own JVM with -Dkms.fork=false."),
                refused.getMessage());
    }

    @Test
    void aGateWhoseBuildIsGoneStopsAtOnceWithoutAnOutcome() throws Exception {
        for (boolean sendJob : new boolean[] {false, true}) {
            Process child = child();
            try (OutputStream input = child.getOutputStream()) {
                if (sendJob) {
                    // the job starts, and its build is gone before it can finish
                    input.write(GateFork.request(job("orphan", "chunked", null), Map.of()).getBytes(StandardCharsets.UTF_8));
                }
            }
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(child.waitFor(2, TimeUnit.MINUTES), "the orphaned gate is still running");
            assertEquals(GateFork.ORPHANED, child.exitValue(), output);
            assertTrue(output.lines().noneMatch(line -> line.startsWith("{\"outcome\"")), output);
        }
    }

    @Test
    void aFaultOfKmsGatesOwnInItsJvmComesBackWithItsStackTrace() throws Exception {
        // a job the goal would never write: a field missing, so reading it fails with no KMS Gate exception
        Process child = child();
        Map<String, String> outcome = Map.of();
        try (OutputStream input = child.getOutputStream();
             BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            input.write("{}\n{\"transactionCapacity\":7}\n".getBytes(StandardCharsets.UTF_8));
            input.flush();
            // as the goal does: the input stays open until the outcome is read
            while (!outcome.containsKey("outcome")) {
                outcome = GateFork.event(output.readLine());
            }
        }
        assertTrue(child.waitFor(2, TimeUnit.MINUTES), "the gate's JVM did not end");
        assertEquals(0, child.exitValue());
        assertEquals("crash", outcome.get("outcome"));
        // the parser's own words (which field it missed) are Jackson's, which differ between versions
        String exception = outcome.get("message");
        assertTrue(exception.startsWith("java.lang.IllegalStateException: The gate's job is not the JSON the goal writes: "), exception);
        assertEquals(exception, outcome.get("trace").lines().findFirst().orElseThrow());
        assertTrue(outcome.get("trace").contains("\tat dev.kmsgate.kms.fork.GateJob.fromJson("), outcome.get("trace"));

        Map<String, String> crashed = outcome;
        IllegalStateException crash = assertThrows(IllegalStateException.class, () -> GateFork.rethrow(crashed));
        assertEquals("The gate failed in its own JVM with " + exception + ". Its stack trace there:" + System.lineSeparator()
                + outcome.get("trace"), crash.getMessage());
    }

    @Test
    void eachOutcomeComesBackAsTheExceptionOfItsKindWithItsMessage() {
        GateFork.rethrow(Map.of("outcome", "passed"));
        assertEquals("four of eight cases fall short", assertThrows(KmsDefectException.class,
                () -> GateFork.rethrow(Map.of("outcome", "defect", "message", "four of eight cases fall short"))).getMessage());
        assertEquals("a bad parameter", assertThrows(KmsUsageException.class,
                () -> GateFork.rethrow(Map.of("outcome", "usage", "message", "a bad parameter"))).getMessage());
        // a database or file failure: an execution error, as a KmsException or UncheckedIOException is in Maven's JVM
        assertEquals("Cannot write a report", assertThrows(KmsUsageException.class,
                () -> GateFork.rethrow(Map.of("outcome", "error", "message", "Cannot write a report"))).getMessage());
    }

    @Test
    void aJobCrossesToTheGatesJvmWhole() {
        Path home = dir.toAbsolutePath();
        GateJob job = new GateJob(250, "single-transaction",
                List.of(GateCase.ofSource("theirs", Database.of(Fixtures.source(home))),
                        new GateCase("mine", new Profile(30, 12, 2, 3, 2, 1, 5L))),
                3, 4, -9L, 2, home.resolve("w o r k"), 12, "com.example.TeamConverter",
                List.of(home.resolve("classes"), home.resolve("lib").resolve("dep.jar")), 0, "2/3", home.resolve("reports"),
                home.resolve("derby.log"));

        assertEquals(job, GateJob.fromJson(job.toJson()));
        assertNotEquals(job, GateJob.fromJson(job("other", "chunked", null).toJson()));
    }

    /** The gate's JVM as the goal starts it, its standard error merged into its output. */
    private static Process child() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(GateFork.command(ARG_LINE));
        builder.environment().put("CLASSPATH", GateFork.ownClasspath().stream().map(Path::toString)
                .collect(Collectors.joining(File.pathSeparator)));
        return builder.redirectErrorStream(true).start();
    }

    /** A run's lines without what differs from run to run: times, rows per second, its own directory, and their order. */
    private List<String> comparable(List<String> lines, String name) {
        List<String> result = new ArrayList<>();
        for (String line : lines) {
            result.add(line.replace(dir.resolve(name).toString(), "<home>")
                    .replaceAll("\\d+(\\.\\d+)? s\\b", "<time> s")
                    .replaceAll("\\s+[\\d,]+(\\s+(PASS|FAIL))$", " <rows/s>$1"));
        }
        Collections.sort(result);
        return result;
    }

    private static List<String> reportFiles(Path home) throws IOException {
        try (Stream<Path> files = Files.list(home.resolve("reports"))) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
