package dev.kmsgate.kms.bench;

import dev.kmsgate.kms.store.Databases;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The gate as a user's build runs it: a whole {@code mvn verify} of an outside project that
 * declares {@code kms:regression} with the default parameters and a capacity, timed from the
 * process's start to its end (Maven's own start-up included). The project has packaging
 * {@code pom}, so the gate is the only work the build does. Its first run generates the gate's
 * sources; the second, with the project's {@code target} kept, reuses them. The project has its
 * own, empty {@code .mvn} directory (so Maven takes it as the root and reads no other). The gate
 * runs in the JVM it forks, as by default, or in Maven's own ({@code -Dkms.fork=false}), the
 * variant that shows what the fork saves. Maven, its local
 * repository and the plugin's version come from the build that runs the benchmark
 * ({@code bench.maven}, {@code bench.repo}, {@code bench.version}); the benchmark profile
 * installs the plugin into that repository first.
 */
final class GateBuild {

    private final Path project;
    private final String maven;
    private final String repository;
    private final String version;

    private GateBuild(Path project, String maven, String repository, String version) {
        this.project = project;
        this.maven = maven;
        this.repository = repository;
        this.version = version;
    }

    static GateBuild fromProperties(Path project) {
        return new GateBuild(project, required("bench.maven"), required("bench.repo"), required("bench.version"));
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("the gate's timing needs -D" + property + " (the benchmark profile sets it), or -Dbench.gate=false");
        }
        return value;
    }

    /**
     * Runs the outside build once at this capacity, its sources generated afresh or reused, the
     * gate forked or in Maven's JVM; returns its wall time in seconds.
     */
    double run(int capacity, boolean reuse, boolean inMavensJvm) throws IOException, InterruptedException {
        String name = "capacity-" + capacity + (inMavensJvm ? "-in-maven" : "");
        Path home = project.resolve(name);
        if (!reuse) {
            Databases.deleteRecursively(home);
            Files.createDirectories(home.resolve(".mvn"));
            Files.writeString(home.resolve("pom.xml"), pom(capacity), StandardCharsets.UTF_8);
        }
        Path log = home.resolve(reuse ? "reused.log" : "generated.log");
        List<String> command = new ArrayList<>(List.of(maven, "-B", "-o", "-Dmaven.repo.local=" + repository, "verify"));
        if (inMavensJvm) {
            command.add("-Dkms.fork=false");
        }
        System.out.printf(Locale.ROOT, "> gate, capacity %,d, sources %s: %s%n", capacity, reuse ? "reused" : "generated",
                String.join(" ", command));
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        int exit = process.waitFor();
        double seconds = (System.nanoTime() - started) / 1e9;
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        for (String line : lines) {
            if (line.startsWith("[INFO] GATE ") || line.startsWith("[INFO] KMS Gate regression:") || line.startsWith("[ERROR]")) {
                System.out.println("  " + line);
            }
        }
        if (exit != 0) {
            throw new IllegalStateException("the gate's build failed (exit " + exit + "); its log: " + log);
        }
        System.out.printf(Locale.ROOT, "  RESULT step=gate capacity=%d sources=%s fork=%s seconds=%.3f%n", capacity,
                reuse ? "reused" : "generated", !inMavensJvm, seconds);
        return seconds;
    }

    private String pom(int capacity) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>dev.kmsgate.benchmark</groupId>
                  <artifactId>gate-capacity-%d</artifactId>
                  <version>1</version>
                  <packaging>pom</packaging>
                  <properties>
                    <kms.transactionCapacity>%d</kms.transactionCapacity>
                  </properties>
                  <build>
                    <plugins>
                      <plugin>
                        <groupId>dev.kmsgate</groupId>
                        <artifactId>kms-maven-plugin</artifactId>
                        <version>%s</version>
                        <executions>
                          <execution>
                            <id>kms-gate</id>
                            <goals><goal>regression</goal></goals>
                          </execution>
                        </executions>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(capacity, capacity, version);
    }
}
