package dev.kmsgate.kms.robust;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A JVM started from the test class path running one of this package's main classes. Its standard
 * output is read line by line on a thread, so the parent can wait for a line (a readiness or
 * progress marker) and then kill it. Standard error goes to a file beside the databases.
 */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;
    private boolean ended;

    private ChildJvm(Process process) {
        this.process = process;
        this.reader = new Thread(this::readLines, "child-stdout-" + process.pid());
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Starts {@code java -cp <test class path> <main> <args>}, with Derby's log in {@code derbyLog}. */
    static ChildJvm start(Class<?> main, Path derbyLog, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Dderby.stream.error.file=" + derbyLog);
        command.add("-Dderby.infolog.append=true");
        command.add("-cp");
        command.add(classPath());
        command.add(main.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(derbyLog.resolveSibling(derbyLog.getFileName() + ".stderr").toFile()));
        try {
            return new ChildJvm(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The class path of this test JVM. Surefire may start the tests through a manifest-only jar,
     * so {@code java.class.path} alone can be just that jar; it publishes the real one as
     * {@code surefire.test.class.path}.
     */
    static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private void readLines() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (this) {
                    lines.add(line);
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // the child was killed: its pipe is gone
        } finally {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }

    /** Waits until {@code count} lines have matched, the output ended, or the time is up; returns the matches seen. */
    synchronized int awaitLines(Predicate<String> matcher, int count, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            int matched = (int) lines.stream().filter(matcher).count();
            long left = deadline - System.currentTimeMillis();
            if (matched >= count || ended || left <= 0) {
                return matched;
            }
            wait(left);
        }
    }

    /** SIGKILL on Linux: no shutdown hook, no finally block runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM on Linux, what a service manager or Ctrl-C's sibling sends: shutdown hooks run. */
    void terminate() {
        process.destroy();
    }

    /** Waits for the child to exit; returns its exit status, or -1 if it is still running. */
    int waitFor(long timeoutMillis) throws InterruptedException {
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            return -1;
        }
        reader.join(timeoutMillis);
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
