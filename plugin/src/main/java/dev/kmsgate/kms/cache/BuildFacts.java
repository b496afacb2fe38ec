package dev.kmsgate.kms.cache;

import dev.kmsgate.kms.fork.GateJob;
import dev.kmsgate.kms.gate.GateCase;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the build knows that the gate's job does not, and that can change its verdict: the goal
 * gathers these from Maven, and {@link #key} makes the verdict's key of them and the job.
 *
 * <p>Public for maven, whose regression goal gathers them; not an API.
 *
 * @param pluginVersion KMS Gate's version
 * @param pluginJars the jars KMS Gate runs from (its own, Derby's, ...)
 * @param localRepository the local Maven repository, whose release jars are keyed by path, size and time; or null
 * @param basedir the project's base directory, which class-path directories are named relative to
 * @param javaVendor the vendor of the Java that runs the gate
 * @param javaVersion its version
 * @param fork whether the gate runs in a JVM of its own
 * @param argLine that JVM's options
 * @param userProperties the build's {@code -D} properties (the converter sees them as system properties)
 * @param derbyProperties the {@code derby.*} system properties of the build's JVM (the gate's Derby sees them)
 */
public record BuildFacts(String pluginVersion, List<Path> pluginJars, Path localRepository, Path basedir, String javaVendor,
                         String javaVersion, boolean fork, String argLine, Map<String, String> userProperties,
                         Map<String, String> derbyProperties) {

    /**
     * The {@code kms.} properties that cannot change a verdict: they are left out of the key, so that
     * {@code -Dkms.rerun} or another reports directory does not force the next run.
     */
    public static final Set<String> NOT_VERDICT_PROPERTIES = Set.of("kms.skip", "kms.cache", "kms.rerun", "kms.cacheDirectory",
            "kms.cacheSizeLimit", "kms.reportsDirectory", "kms.workDirectory", "kms.progressSeconds");

    public BuildFacts {
        pluginJars = List.copyOf(pluginJars);
        userProperties = Map.copyOf(userProperties);
        derbyProperties = Map.copyOf(derbyProperties);
    }

    /**
     * The verdict's key: KMS Gate's version and jars, the Java runtime, {@code fork} and
     * {@code argLine}, every parameter of the job that can change the verdict, the {@code derby.*}
     * properties, and with a converter of the user's the {@code -D} properties it sees and the
     * content of its class path; the content of every case's own source.
     *
     * @param storeSecret the store's secret, which the properties' values are digested with
     */
    public VerdictKey key(GateJob job, byte[] storeSecret) {
        VerdictKey.Builder key = VerdictKey.builder()
                .propertySecret(storeSecret)
                .version(pluginVersion)
                .pluginJars(pluginJars, localRepository)
                .java(javaVendor, javaVersion)
                .parameter("fork", Boolean.toString(fork))
                .parameter("argLine", fork ? argLine : "");
        job.verdictParameters().forEach(key::parameter);
        userProperties.forEach((name, value) -> {
            boolean seen = name.startsWith("derby.") || job.converterClass() != null;
            if (seen && !NOT_VERDICT_PROPERTIES.contains(name)) {
                key.property(name, value);
            }
        });
        derbyProperties.forEach((name, value) -> {
            if (!userProperties.containsKey(name)) {
                key.property(name, value);
            }
        });
        key.classpath(job.converterClasspath(), basedir, localRepository);
        for (GateCase gateCase : job.extraCases()) {
            if (gateCase.source() != null) {
                key.caseSource(gateCase.name(), gateCase.source().address());
            }
        }
        return key.build();
    }
}
