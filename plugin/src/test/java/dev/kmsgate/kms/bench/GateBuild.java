package dev.kmsgate.kms.bench;

import dev.kmsgate.kms.spi.TeamConverter;
import dev.kmsgate.kms.store.Databases;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The gate as a user's build runs it: whole {@code mvn} runs of an outside project that declares
 * {@code kms:regression} with the default parameters and a capacity, timed from the process's
 * start to its end (Maven's own start-up included), and {@code mvn validate} of the same project,
 * which every figure is divided by. The project has packaging {@code pom}, so the gate is the only
 * work the build does, and an empty {@code .mvn} directory of its own (so Maven takes it as the
 * root and reads no other). Its store is its own ({@code -Dkms.cacheDirectory}), never the user's.
 * A build is one of: {@link Kind#FRESH} (a fresh CI agent: an empty store, so the sources are
 * generated), {@link Kind#KEPT} (the converter changed: sources kept, no verdict reusable, as
 * {@code -Dkms.rerun} makes it), {@link Kind#KEPT_WITHOUT_PROOF} (the same with the scaling proof
 * off, to measure what the proof costs) and {@link Kind#REUSED} (nothing the verdict depends on changed).
 * Maven, its local repository and the plugin's version come from the build that runs the benchmark
 * ({@code bench.maven}, {@code bench.repo}, {@code bench.version}); the benchmark profile installs
 * the plugin into that repository first.
 */
final class GateBuild {

    /** What the build finds when it starts. */
    enum Kind {
        FRESH("fresh agent"), KEPT("sources kept"), KEPT_WITHOUT_PROOF("sources kept, no scaling proof"), REUSED("verdict reused");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private final Path project;
    private final String maven;
    private final String repository;
    private final String version;
    private final String converter;

    private GateBuild(Path project, String maven, String repository, String version, String converter) {
        this.project = project;
        this.maven = maven;
        this.repository = repository;
        this.version = version;
        this.converter = converter;
    }

    static GateBuild fromProperties(Path project) {
        return new GateBuild(project, required("bench.maven"), required("bench.repo"), required("bench.version"), null);
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("the gate's timing needs -D" + property + " (the benchmark profile sets it), or -Dbench.gate=false");
        }
        return value;
    }

    /**
     * The same builds of a project whose gate runs a team's correct converter instead of KMS Gate's
     * own: the tests' {@link TeamConverter}, a chunked, resumable converter against the SPI alone, as
     * the issue that asked for the scaling proof measured its cost on. Its classes are put in this
     * build's local repository as {@code dev.kmsgate.benchmark:team-converter:1}, which the project
     * depends on in test scope, as a user's project depends on its converter.
     */
    GateBuild withTeamConverter() throws IOException {
        Path jar = Path.of(repository, "dev", "kmsgate", "benchmark", "team-converter", "1", "team-converter-1.jar");
        Files.createDirectories(jar.getParent());
        Path classes;
        try {
            classes = Path.of(TeamConverter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("the test classes' location", e);
        }
        Path spi = classes.resolve(TeamConverter.class.getPackageName().replace('.', '/'));
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.list(spi)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(TeamConverter.class.getSimpleName() + ".")
                    || f.getFileName().toString().startsWith(TeamConverter.class.getSimpleName() + "$")).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(file));
                out.closeEntry();
            }
        }
        Files.writeString(jar.resolveSibling("team-converter-1.pom"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>dev.kmsgate.benchmark</groupId>
                  <artifactId>team-converter</artifactId>
                  <version>1</version>
                </project>
                """, StandardCharsets.UTF_8);
        return new GateBuild(project, maven, repository, version, TeamConverter.class.getName());
    }

    private Path home(int capacity) throws IOException {
        Path home = project.resolve("capacity-" + capacity + (converter == null ? "" : "-team"));
        if (!Files.isRegularFile(home.resolve("pom.xml"))) {
            Files.createDirectories(home.resolve(".mvn"));
            Files.writeString(home.resolve("pom.xml"), pom(capacity), StandardCharsets.UTF_8);
        }
        return home;
    }

    /** The median of three {@code mvn validate} runs of the project at this capacity, in seconds. */
    double validate(int capacity) throws IOException, InterruptedException {
        double[] runs = new double[3];
        for (int i = 0; i < runs.length; i++) {
            runs[i] = time(capacity, "validate", List.of("validate"), "validate-" + i + ".log");
        }
        java.util.Arrays.sort(runs);
        System.out.printf(Locale.ROOT, "  RESULT step=validate capacity=%d seconds=%.3f (of %.3f, %.3f, %.3f)%n", capacity, runs[1],
                runs[0], runs[1], runs[2]);
        return runs[1];
    }

    /** The median of three builds of this kind, in seconds. */
    double median(int capacity, Kind kind) throws IOException, InterruptedException {
        return Benchmark.median(new double[] {run(capacity, kind), run(capacity, kind), run(capacity, kind)});
    }

    /** Runs {@code mvn verify} of the project at this capacity as a build of this kind; returns its wall time in seconds. */
    double run(int capacity, Kind kind) throws IOException, InterruptedException {
        Path store = home(capacity).resolve("kms-store");
        List<String> arguments = new ArrayList<>(List.of("verify", "-Dkms.cacheDirectory=" + store));
        if (kind == Kind.FRESH) {
            Databases.deleteRecursively(store);
            Databases.deleteRecursively(home(capacity).resolve("target"));
        } else if (kind == Kind.KEPT) {
            arguments.add("-Dkms.rerun");
        } else if (kind == Kind.KEPT_WITHOUT_PROOF) {
            arguments.add("-Dkms.rerun");
            arguments.add("-Dkms.scalingProof=false");
        }
        double seconds = time(capacity, kind.label, arguments, kind.name().toLowerCase(Locale.ROOT) + ".log");
        System.out.printf(Locale.ROOT, "  RESULT step=gate capacity=%d build=%s%s seconds=%.3f%n", capacity, kind.name().toLowerCase(Locale.ROOT),
                converter == null ? "" : " converter=team", seconds);
        return seconds;
    }

    private double time(int capacity, String label, List<String> arguments, String logName) throws IOException, InterruptedException {
        Path home = home(capacity);
        Path log = home.resolve(logName);
        List<String> command = new ArrayList<>(List.of(maven, "-B", "-o", "-Dmaven.repo.local=" + repository));
        command.addAll(arguments);
        System.out.printf(Locale.ROOT, "> capacity %,d, %s: %s%n", capacity, label, String.join(" ", command));
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        int exit = process.waitFor();
        double seconds = (System.nanoTime() - started) / 1e9;
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.startsWith("[INFO] GATE ") || line.startsWith("[INFO] verdict reused") || line.startsWith("[INFO] The gate runs")
                    || line.startsWith("[INFO] No proven verdict") || line.startsWith("[INFO] scaling proof") || line.startsWith("[ERROR]")) {
                System.out.println("  " + line);
            }
        }
        if (exit != 0) {
            throw new IllegalStateException("the build failed (exit " + exit + "); its log: " + log);
        }
        return seconds;
    }

    private String pom(int capacity) {
        String team = converter == null ? "" : """
                  <dependencies>
                    <dependency>
                      <groupId>dev.kmsgate.benchmark</groupId>
                      <artifactId>team-converter</artifactId>
                      <version>1</version>
                      <scope>test</scope>
                    </dependency>
                  </dependencies>
                """;
        String converterLine = converter == null ? "" : "\n    <kms.converter>" + converter + "</kms.converter>";
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>dev.kmsgate.benchmark</groupId>
                  <artifactId>gate-capacity-%d</artifactId>
                  <version>1</version>
                  <packaging>pom</packaging>
                  <properties>
                    <kms.transactionCapacity>%d</kms.transactionCapacity>%s
                  </properties>
                %s  <build>
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
                """.formatted(capacity, capacity, converterLine, team, version);
    }
}
