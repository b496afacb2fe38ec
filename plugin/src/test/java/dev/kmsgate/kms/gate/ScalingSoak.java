package dev.kmsgate.kms.gate;

import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.convert.ForeignConverter;
import dev.kmsgate.kms.convert.Strategy;
import dev.kmsgate.kms.verify.Verifier;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The scaling proof's soak: the proof on each correct converter, each run in a JVM of its own (cold,
 * as a gate's is), many times in a row, to show that a correct converter never fails it, on a
 * machine as busy as the one it runs on. Not part of the test run (the {@code scaling-soak} profile
 * runs it; README, "Slow checks"). It prints each run's growth line and, at the end, the least and
 * greatest exponent per converter, and exits 1 if any run failed.
 *
 * <p>Arguments: {@code <runs> <work directory> [<sample converter's class directory>]}; or, in a child
 * JVM, {@code --once <converter> <work directory> [<class directory>]}.
 */
public final class ScalingSoak {

    private static final List<String> CONVERTERS = List.of("built-in", "dev.kmsgate.kms.spi.TeamConverter",
            "dev.kmsgate.kms.spi.TeamConverter$SortsCertificates", "dev.kmsgate.kms.spi.TeamConverter$SlowLinear");

    private static final String SAMPLE = "com.example.kms.ReleaseUpgrade";

    private ScalingSoak() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("--once")) {
            once(args[1], Path.of(args[2]), args.length > 3 ? Path.of(args[3]) : null);
            return;
        }
        int runs = Integer.parseInt(args[0]);
        Path work = Path.of(args[1]);
        Path sample = args.length > 2 && Files.isDirectory(Path.of(args[2])) ? Path.of(args[2]) : null;
        List<String> converters = new ArrayList<>(CONVERTERS);
        if (sample != null) {
            converters.add(SAMPLE);
        }
        int failed = 0;
        for (String converter : converters) {
            double least = Double.MAX_VALUE;
            double greatest = 0;
            for (int run = 1; run <= runs; run++) {
                String line = child(converter, work, sample);
                System.out.printf(Locale.ROOT, "%s run %d: %s%n", converter, run, line);
                if (!line.startsWith("PASS ")) {
                    failed++;
                    continue;
                }
                double exponent = Double.parseDouble(line.substring(5, line.indexOf(' ', 5)));
                least = Math.min(least, exponent);
                greatest = Math.max(greatest, exponent);
            }
            System.out.printf(Locale.ROOT, "RESULT converter=%s runs=%d exponent=%.2f..%.2f%n", converter, runs, least, greatest);
        }
        System.out.printf(Locale.ROOT, "RESULT failed=%d%n", failed);
        System.exit(failed == 0 ? 0 : 1);
    }

    private static String child(String converter, Path work, Path sample) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ScalingSoak.class.getName(), "--once", converter, work.toString()));
        if (sample != null) {
            command.add(sample.toString());
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        process.waitFor();
        String[] lines = output.split("\\R");
        return lines[lines.length - 1];
    }

    /** One proof, printed as {@code PASS 1.04 <line>} or {@code FAIL <exponent> <line>}. */
    private static void once(String name, Path work, Path sample) {
        ConverterUnderTest converter = name.equals("built-in") ? ConverterUnderTest.builtIn()
                : ConverterUnderTest.of(name.equals(SAMPLE) ? ForeignConverter.load(name, List.of(sample))
                        : ForeignConverter.load(name, ScalingSoak.class.getClassLoader()));
        RegressionGate.Settings settings = new RegressionGate.Settings(250, Strategy.CHUNKED, List.of(), 2, 3, 1L, 5, work, null, converter,
                0, Shard.ALL).withScalingProof(true);
        CaseRunner runner = new CaseRunner(settings, converter, s -> new Verifier(KmsLog.silent()).verify(s));
        Growth growth = new ScalingProof(runner, 1L).run().growth();
        System.out.printf(Locale.ROOT, "%s %.2f (CPU s: empty %.3f, %s %.3f, %s %.3f; fastest phase %s) %s%n", growth.passed() ? "PASS" : "FAIL",
                growth.measured() ? growth.exponent() : -1, growth.fixed().toNanos() / 1e9, growth.smallCase(), growth.small().toNanos() / 1e9,
                growth.largeCase(), growth.large().toNanos() / 1e9, growth.fastest() == null ? "none"
                        : String.format(Locale.ROOT, "%s n^%.2f", growth.fastest().table(), growth.fastest().exponent()), growth.line());
    }
}
