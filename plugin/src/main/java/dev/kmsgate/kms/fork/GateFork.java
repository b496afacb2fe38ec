package dev.kmsgate.kms.fork;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.kmsgate.kms.KmsDefectException;
import dev.kmsgate.kms.KmsException;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import org.codehaus.plexus.util.cli.CommandLineException;
import org.codehaus.plexus.util.cli.CommandLineUtils;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Runs a {@link GateJob} in a JVM of its own: the same Java as Maven's, the plugin's class path,
 * the JVM options of {@code argLine}, and as system properties the build's user properties and
 * every {@code derby.*} system property of Maven's JVM. A short gate spends most of its CPU in
 * HotSpot's C2 compiling Derby, so the default {@code -XX:TieredStopAtLevel=1} runs C1 alone,
 * which shortens a gate (docs/performance.md, fifth round), and {@code -XX:MaxRAM=4g} keeps its
 * heap at 1 GiB or less (twelfth round); Maven's own JVM keeps its options.
 *
 * <p>Both ends of the exchange live here. The goal writes the system properties and the job to the
 * child's standard input, a line of JSON each, and keeps that stream open until it has the
 * outcome: a child whose input ends before (Maven was killed) stops at once, so no gate outlives
 * its build. The child writes one JSON object per line to its standard output: a log line
 * ({@code {"log":"info","message":...}}) as it happens, and last the outcome
 * ({@code {"outcome":"defect","message":...}}). Anything else the child prints (a converter's
 * {@code System.out}, a JVM warning) goes to its standard error, which the goal copies to its own.
 * The outcome comes back as the exception the gate threw in the child, with the same message.
 *
 * <p>Public for maven, whose regression goal runs its job through it and takes its default argLine;
 * not an API.
 */
public final class GateFork {

    /**
     * {@code argLine}'s default: C1 alone, the parallel collector (the options tried: docs/performance.md,
     * fifth round), and a heap sized as on a machine of 4 GiB, at most 1 GiB (twelfth round): on a
     * bigger machine the collector grew its young generation toward a quarter of the memory, and
     * the kernel's work of touching that new memory cost more than the collections it saved.
     */
    public static final String DEFAULT_ARG_LINE = "-XX:TieredStopAtLevel=1 -XX:+UseParallelGC -XX:MaxRAM=4g";

    /** The child's exit status when its input ended before its outcome was written: the build is gone. */
    static final int ORPHANED = 3;

    /** How long the child waits, after its outcome, for the goal to close its input before it exits anyway. */
    private static final long EXIT_WAIT_MILLIS = 5_000;

    private static final String PASSED = "passed";
    private static final String DEFECT = "defect";
    private static final String USAGE = "usage";
    private static final String ERROR = "error";
    private static final String CRASH = "crash";

    private GateFork() {
    }

    /**
     * Runs the job in a new JVM and returns when it is done; throws what {@link GateJob#run} threw
     * there, or a {@link KmsUsageException} naming the exit status when the JVM ended without an
     * outcome (it could not start with {@code argLine}, or it was killed).
     *
     * @param argLine the child's JVM options, separated by spaces; one in quotes may hold spaces
     * @param userProperties the build's user properties ({@code -Dname=value}), which a converter
     *        in Maven's JVM would see as system properties, and so sees in the child
     */
    public static void run(GateJob job, String argLine, Map<String, String> userProperties, KmsLog log) {
        List<String> command = command(argLine);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("CLASSPATH", ownClasspath().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new KmsUsageException(Messages.format(Messages.FORK_NOT_STARTED, command.get(0), e.getMessage()), e);
        }
        Thread stopChild = new Thread(process::destroy, "kms-gate-fork-stop");
        Runtime.getRuntime().addShutdownHook(stopChild);
        Thread errors = copy(process.getErrorStream(), System.err);
        Map<String, String> outcome = null;
        try (OutputStream input = process.getOutputStream();
             BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            send(input, request(job, userProperties));
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                Map<String, String> event = event(line);
                if (event.containsKey("outcome")) {
                    outcome = event;
                    closeQuietly(input); // lets the child's watch end, so that nothing holds up its exit
                } else if (event.containsKey("log")) {
                    relay(event, log);
                } else {
                    System.out.println(line);
                }
            }
            int exit = process.waitFor();
            errors.join();
            if (Thread.interrupted()) {
                throw new InterruptedException(); // waitFor and join do not look at it once the JVM and the copy have ended
            }
            if (outcome == null) {
                throw new KmsUsageException(Messages.format(Messages.FORK_ENDED, exit, argLine));
            }
        } catch (IOException e) {
            process.destroyForcibly();
            throw new UncheckedIOException("Lost the gate's JVM", e);
        } catch (InterruptedException e) {
            // reading the child's output does not notice an interrupt; waiting for its end, or the check after it, does
            Thread.currentThread().interrupt();
            if (outcome == null) {
                process.destroyForcibly();
                throw new KmsUsageException(Messages.FORK_INTERRUPTED, e);
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopChild);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs now and stops the child
            }
        }
        rethrow(outcome);
    }

    /** Writes the request; a JVM that has already ended (it refused an option) is reported by its exit status. */
    private static void send(OutputStream input, String request) {
        try {
            input.write(request.getBytes(StandardCharsets.UTF_8));
            input.flush();
        } catch (IOException ended) {
            // what it printed and its status say why
        }
    }

    private static void closeQuietly(OutputStream input) {
        try {
            input.close();
        } catch (IOException gone) {
            // the child has what it needs, or has ended
        }
    }

    /**
     * The child's command line; its class path goes in the environment, so no command line grows
     * with it. {@code argLine} is split as Surefire and exec-maven-plugin split theirs, with
     * plexus-utils' tokenizer: options are separated by white space (line breaks and tabs count as
     * spaces, so a POM may spread it over lines), and a part in double or single quotes stays one
     * argument, without its quotes ({@code -Dname="a b"} is {@code -Dname=a b}).
     *
     * @throws KmsUsageException when a quote in {@code argLine} is not closed
     */
    static List<String> command(String argLine) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (argLine != null && !argLine.isBlank()) {
            command.addAll(Arrays.asList(options(argLine)));
        }
        command.add(GateFork.class.getName());
        return command;
    }

    private static String[] options(String argLine) {
        try {
            return CommandLineUtils.translateCommandline(argLine.replaceAll("\\s", " ")); // it splits at spaces only
        } catch (CommandLineException e) {
            throw new KmsUsageException(Messages.format(Messages.ARG_LINE_UNBALANCED_QUOTES, argLine), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("translateCommandline declares Exception, but throws only CommandLineException", e);
        }
    }

    /**
     * What the child reads: a line of system properties, which it sets before Derby starts, then
     * the job's line. The properties are the build's user properties and every {@code derby.*}
     * system property of Maven's JVM; they travel on the child's input, not its command line, where
     * {@code ps} would show a password given as {@code -D}.
     */
    static String request(GateJob job, Map<String, String> userProperties) {
        Map<String, String> properties = new TreeMap<>(userProperties);
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("derby.")) {
                properties.put(name, System.getProperty(name));
            }
        }
        return GateJob.flatObject(properties) + "\n" + job.toJson() + "\n";
    }

    /** The plugin's own class path: its class realm's jars under Maven, the JVM's class path in a test. */
    public static List<Path> ownClasspath() {
        List<Path> classpath = new ArrayList<>();
        if (GateFork.class.getClassLoader() instanceof URLClassLoader realm) {
            for (URL url : realm.getURLs()) {
                try {
                    classpath.add(Path.of(url.toURI()));
                } catch (URISyntaxException | IllegalArgumentException e) {
                    throw new IllegalStateException("The plugin's class path holds " + url + ", which is not a file", e);
                }
            }
        }
        if (classpath.isEmpty()) {
            for (String element : System.getProperty("java.class.path").split(File.pathSeparator)) {
                classpath.add(Path.of(element));
            }
        }
        return classpath;
    }

    private static void relay(Map<String, String> event, KmsLog log) {
        String message = event.get("message");
        switch (event.get("log")) {
            case "warn" -> log.warn(message);
            case "debug" -> log.debug(message);
            default -> log.info(message);
        }
    }

    /** Throws what the child's outcome names, with its message; returns for a gate that passed. */
    static void rethrow(Map<String, String> outcome) {
        String message = outcome.get("message");
        switch (outcome.get("outcome")) {
            case PASSED -> { }
            case DEFECT -> throw new KmsDefectException(message);
            case USAGE, ERROR -> throw new KmsUsageException(message);
            default -> throw new IllegalStateException(Messages.format(Messages.FORK_CRASHED, message, outcome.get("trace")));
        }
    }

    private static Thread copy(InputStream from, PrintStream to) {
        Thread thread = new Thread(() -> {
            try (Reader reader = new InputStreamReader(from, StandardCharsets.UTF_8)) {
                char[] buffer = new char[8192];
                for (int n = reader.read(buffer); n >= 0; n = reader.read(buffer)) {
                    to.print(new String(buffer, 0, n));
                    to.flush();
                }
            } catch (IOException e) {
                // the child is gone; what it wrote has been copied
            }
        }, "kms-gate-fork-stderr");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** One line of the child's output as its fields; a line that is not an event has none. */
    static Map<String, String> event(String line) {
        if (!line.startsWith("{")) {
            return new HashMap<>();
        }
        try (JsonParser json = new JsonFactory().createParser(line)) {
            json.nextToken();
            return GateJob.flatFields(json);
        } catch (IOException e) {
            return new HashMap<>();
        }
    }

    // --- the child ------------------------------------------------------------------------------

    /** The forked JVM: reads the job, runs it, writes its log and outcome, and exits. */
    public static void main(String[] args) throws IOException {
        PrintStream events = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        System.setOut(System.err); // the events' stream is the exchange's alone
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String properties = input.readLine();
        String line = properties == null ? null : input.readLine();
        if (line == null) {
            Runtime.getRuntime().halt(ORPHANED);
        }
        event(properties).forEach(System::setProperty);
        AtomicBoolean finished = new AtomicBoolean();
        Thread watch = new Thread(() -> {
            try {
                while (input.read() >= 0) {
                    // nothing more comes; the stream ends when the build does, or when it has the outcome
                }
            } catch (IOException e) {
                // as good as its end
            }
            if (!finished.get()) {
                Runtime.getRuntime().halt(ORPHANED);
            }
        }, "kms-gate-fork-watch");
        watch.setDaemon(true);
        watch.start();
        Events out = new Events(events, finished);
        try {
            GateJob.fromJson(line).run(out);
            out.outcome(PASSED, null, null);
        } catch (KmsDefectException e) {
            out.outcome(DEFECT, e.getMessage(), null);
        } catch (KmsUsageException e) {
            out.outcome(USAGE, e.getMessage(), null);
        } catch (KmsException | UncheckedIOException e) {
            out.outcome(ERROR, e.getMessage(), null);
        } catch (RuntimeException | Error e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            out.outcome(CRASH, e.toString(), trace.toString());
        }
        // the goal closes the input once it has read the outcome: a thread still blocked reading it
        // would hold up the JVM's exit, since HotSpot's exit waits for threads in native code
        // (docs/performance.md, fifth round)
        try {
            watch.join(EXIT_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.exit(0);
    }

    /** The child's end: each event one line of JSON, written whole, whichever thread logs. */
    private static final class Events implements KmsLog {

        private final PrintStream out;
        private final AtomicBoolean finished;

        Events(PrintStream out, AtomicBoolean finished) {
            this.out = out;
            this.finished = finished;
        }

        @Override public void info(String message) { write("log", "info", message, null); }
        @Override public void warn(String message) { write("log", "warn", message, null); }
        @Override public void debug(String message) { write("log", "debug", message, null); }

        /** The last event: from here on, the end of the input means the goal has the outcome, not that the build is gone. */
        void outcome(String kind, String message, String trace) {
            finished.set(true);
            write("outcome", kind, message, trace);
        }

        private synchronized void write(String type, String kind, String message, String trace) {
            Map<String, String> event = new LinkedHashMap<>();
            event.put(type, kind);
            event.put("message", message);
            if (trace != null) {
                event.put("trace", trace);
            }
            String text = GateJob.flatObject(event);
            out.println(text);
            out.flush();
        }
    }
}
