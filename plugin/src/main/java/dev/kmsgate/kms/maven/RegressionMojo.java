package dev.kmsgate.kms.maven;

import dev.kmsgate.kms.Parameters;
import dev.kmsgate.kms.cache.BuildFacts;
import dev.kmsgate.kms.cache.CachedGate;
import dev.kmsgate.kms.cache.VerdictKey;
import dev.kmsgate.kms.cache.VerdictStore;
import dev.kmsgate.kms.fork.GateFork;
import dev.kmsgate.kms.fork.GateJob;
import dev.kmsgate.kms.gate.GateCase;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The gate: for a transaction capacity C and a strategy under test, generates the boundary cases
 * (0, 1, C-1, C, C+1, 2C+1 and a large multiple of C revocations, a dirty database, and any
 * {@code <cases>} declared here), converts and verifies each in parallel, and proves it can fail by
 * running the reference defect where it must fail. Prints one table, writes JUnit XML (one suite
 * per case, one test case per invariant) and a JSON summary, and fails the build if any case falls
 * short or the gate cannot prove itself.
 *
 * @since 0.1.0
 */
@Mojo(name = "regression", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.TEST)
public class RegressionMojo extends AbstractKmsMojo {

    /**
     * The capacity C under test: the most row changes one transaction of the target may hold.
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.TRANSACTION_CAPACITY_PROPERTY, defaultValue = Parameters.DEFAULT_TRANSACTION_CAPACITY_TEXT)
    private int transactionCapacity;

    /**
     * The strategy under test: {@code chunked} (the default) or {@code single-transaction} (the
     * KB Q193567 defect, which the gate must reject).
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.STRATEGY_PROPERTY, defaultValue = Parameters.DEFAULT_STRATEGY)
    private String strategy;

    /**
     * Cases to run besides the boundary cases and the dirty database; see {@link CaseDefinition}.
     *
     * @since 0.1.0
     */
    @Parameter
    private List<CaseDefinition> cases;

    /**
     * Cases run in parallel on independent databases; 0 means one per core.
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.THREADS_PROPERTY, defaultValue = "0")
    private int threads;

    /**
     * The large boundary case has this many times C revocations.
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.LARGE_MULTIPLE_PROPERTY, defaultValue = "10")
    private int largeMultiple;

    /**
     * Seed of the generated databases.
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.SEED_PROPERTY, defaultValue = Parameters.DEFAULT_SEED_TEXT)
    private long seed;

    /**
     * How many differing keys each failed invariant lists.
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.MISMATCH_LIMIT_PROPERTY, defaultValue = Parameters.DEFAULT_MISMATCH_LIMIT_TEXT)
    private int mismatchLimit;

    /**
     * Where the gate keeps its databases. Sources are keyed by profile and reused across builds;
     * targets are rebuilt on every run.
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.WORK_DIRECTORY_PROPERTY, defaultValue = "${project.build.directory}/kms-gate")
    private File workDirectory;

    /**
     * Where the JUnit XML ({@code TEST-kms.regression.<case>.xml}), {@code kms-regression.json} and the
     * HTML report ({@code index.html}, {@code kms-regression.html}) go; a shard's summary and page
     * carry its number ({@code kms-regression-shard-2-of-3.json}).
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.REPORTS_DIRECTORY_PROPERTY, defaultValue = Parameters.DEFAULT_REPORTS_DIRECTORY)
    private File reportsDirectory;

    /**
     * The fully qualified name of a converter of your own to put under the gate (a class
     * implementing {@code dev.kmsgate.kms.api.KmsConverter} with a public no-argument constructor),
     * loaded from the project's classes, test classes and dependencies. Every case is converted by
     * a new instance under the capacity and judged on the data invariants, the guard's ledger and
     * rows written around the guard. Unset: KMS Gate's own converter with {@code strategy}.
     *
     * @since 0.2.0
     */
    @Parameter(property = Parameters.CONVERTER_PROPERTY)
    private String converter;

    /**
     * Interrupted runs on the largest boundary case: at seeded commits spread over the run (early,
     * middle, late for 3) the guard simulates a crash (the transaction in flight is lost, every
     * connection of the run fails), the converter runs again on the same target, and the result must
     * pass verification as an uninterrupted run does. The dirty case is then interrupted at each of
     * its commits in turn (at most 4 times this many), for its quarantined rows and unmatched
     * revocations. 0 turns both off. They run on a converter of your own ({@code converter}); KMS
     * Gate's own converter proves its resume with its kill soak.
     *
     * @since 0.2.0
     */
    @Parameter(property = Parameters.RESUME_TRIALS_PROPERTY, defaultValue = "3")
    private int resumeTrials;

    /**
     * The scaling proof: whether the converter's work grows no faster than its data. The gate
     * measures the CPU time the converter spends (not wall time, so a busy machine does not count)
     * on an empty database, on one of 500 users and on one of 4,000, the same shape, whatever the
     * capacity, and fails when 8 times the rows take clearly more than 8 times the work (beyond
     * n^1.5, measured twice: a quadratic converter measures n^1.6 to n^2, a sort about n^1.1),
     * naming the growth and what a database of 1,000,000 certificates would then take. Its two sized cases are ordinary cases too,
     * in the table and the reports. It cannot see work that depends on data the gate does not
     * generate, or work done on threads of the converter's own. {@code false} turns it off.
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.SCALING_PROOF_PROPERTY, defaultValue = "true")
    private boolean scalingProof;

    /**
     * Seconds between progress lines; the gate also logs each case as it finishes.
     *
     * @since 0.2.0
     */
    @Parameter(property = Parameters.PROGRESS_SECONDS_PROPERTY, defaultValue = Parameters.DEFAULT_PROGRESS_SECONDS_TEXT)
    private int progressSeconds;

    /**
     * Runs one share of the gate, {@code K/N} (e.g. {@code -Dkms.shard=2/3}), for a CI that spreads
     * the gate over N agents: shard K runs the cases assigned to it, and the N shards together run
     * every case, the resume trials and the self-proof exactly once. The assignment depends only on
     * the configuration, so every agent computes the same one. A shard's summary and page carry its
     * number ({@code kms-regression-shard-2-of-3.json}, {@code .html}); the JUnit XML files are the
     * cases' own, so the union of the N shards' reports is one whole run's. Unset: the whole gate.
     *
     * @since 0.2.0
     */
    @Parameter(property = Parameters.SHARD_PROPERTY)
    private String shard;

    /**
     * Runs the gate in a JVM of its own, with {@code argLine}: its log lines come to the build's
     * log as they happen, and its outcome is the goal's. {@code false} runs it in Maven's JVM.
     *
     * @since 0.2.0
     */
    @Parameter(property = Parameters.FORK_PROPERTY, defaultValue = "true")
    private boolean fork;

    /**
     * The JVM options of the gate's own JVM ({@code fork}), separated by spaces, tabs or line
     * breaks, as Surefire's {@code argLine}: an option that holds a space goes in double or single
     * quotes, which are removed ({@code -Dname="a b"} passes {@code -Dname=a b}), and a quote left
     * open fails the goal. {@code MAVEN_OPTS}
     * and {@code .mvn/jvm.config} do not reach it. The default runs HotSpot's C1 compiler alone
     * (most of a short gate's CPU otherwise goes to C2 compiling Derby) with the parallel
     * collector, and sizes the heap as on a machine of 4 GiB (at most 1 GiB; a bigger heap made
     * the gate slower), which shortens a gate (the figures are in docs/performance.md). Keep them
     * when you add options, e.g. {@code -XX:TieredStopAtLevel=1 -XX:+UseParallelGC -XX:MaxRAM=4g -Xmx2g}.
     *
     * @since 0.2.0
     */
    @Parameter(property = Parameters.ARG_LINE_PROPERTY, defaultValue = GateFork.DEFAULT_ARG_LINE)
    private String argLine;

    /**
     * Where KMS Gate keeps its store: proven verdicts by key and the generated sources, shared by
     * every build of the user, so that it outlives {@code mvn clean}. The default is {@code kms-gate}
     * beside the local Maven repository ({@code ~/.m2/kms-gate}); a CI job persists it with its
     * cache step (README, "Reuse of a proven verdict").
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.CACHE_DIRECTORY_PROPERTY)
    private File cacheDirectory;

    /**
     * Reuse a passing verdict while nothing it depends on has changed, and store each passing one.
     * {@code false} never stores a verdict and never reuses one.
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.CACHE_PROPERTY, defaultValue = "true")
    private boolean cache;

    /**
     * Run the gate whatever is stored; a passing run still stores its verdict.
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.RERUN_PROPERTY, defaultValue = "false")
    private boolean rerun;

    /**
     * The most disk, in megabytes, the store in {@code cacheDirectory} may take: after each run the
     * least recently used verdicts and sources are evicted until it fits (never a source another
     * build is using).
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.CACHE_SIZE_LIMIT_PROPERTY, defaultValue = "" + VerdictStore.DEFAULT_SIZE_LIMIT_MEGABYTES)
    private int cacheSizeLimit;

    /** The build's {@code -D} properties, which a converter in Maven's JVM sees as system properties. */
    private Map<String, String> userProperties() {
        Map<String, String> properties = new TreeMap<>();
        if (session != null) {
            session.getUserProperties().forEach((name, value) -> properties.put(String.valueOf(name), String.valueOf(value)));
        }
        return properties;
    }

    @Override
    protected String goal() {
        return "regression";
    }

    @Override
    protected void run() throws MojoExecutionException {
        List<GateCase> extra = new ArrayList<>();
        if (cases != null) {
            for (int i = 0; i < cases.size(); i++) {
                extra.add(cases.get(i).toGateCase(seed, i + 1, basedir()));
            }
        }
        boolean foreign = converter != null && !converter.isBlank();
        List<Path> classpath = foreign ? converterClasspath() : List.of();
        VerdictStore store = VerdictStore.open(storeDirectory(), cacheSizeLimit, kmsLog());
        Path work = workDirectory.toPath();
        Path recordFile = work.resolve("record-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".json");
        GateJob job = new GateJob(transactionCapacity, strategy, extra, threads, largeMultiple, seed, mismatchLimit,
                work, progressSeconds, foreign ? converter.trim() : null, classpath, resumeTrials, shard, reportsDirectory.toPath(),
                buildDirectory().resolve("derby.log"), store.sourcesDirectory(), recordFile, scalingProof);
        Map<String, String> userProperties = userProperties();
        long keying = System.nanoTime();
        if (cache && !rerun) {
            VerdictStore.prepareReading(); // on a second core, while this one makes the key
        }
        VerdictKey key = cache ? key(job, userProperties, store.secret()) : null;
        getLog().debug(String.format(Locale.ROOT, "KMS Gate: the verdict's key (%d inputs) made in %d ms.",
                key == null ? 0 : key.inputs().size(), (System.nanoTime() - keying) / 1_000_000));
        CachedGate gate = new CachedGate(cache ? store : null, rerun, projectId(), key);
        try {
            gate.run(job, fork ? forked -> GateFork.run(forked, argLine, userProperties, kmsLog()) : inHere -> inHere.run(kmsLog()), kmsLog());
        } finally {
            if (!cache) {
                store.evict(); // the store keeps the generated sources whether verdicts are reused or not
            }
        }
    }

    /** The store's directory: {@code cacheDirectory}, or {@code kms-gate} beside the local repository. */
    private Path storeDirectory() {
        Path directory;
        if (cacheDirectory != null) {
            directory = cacheDirectory.toPath();
        } else if (session != null && session.getLocalRepository() != null) {
            directory = Path.of(session.getLocalRepository().getBasedir()).toAbsolutePath().getParent().resolve("kms-gate");
        } else {
            directory = Path.of(System.getProperty("user.home"), ".m2", "kms-gate");
        }
        return directory;
    }

    /** {@code groupId:artifactId:execution}: a project's gate executions each have their last key. */
    private String projectId() {
        String execution = mojoExecution != null ? mojoExecution.getExecutionId() : "default";
        return project.getGroupId() + ":" + project.getArtifactId() + ":" + execution;
    }

    /** What the build knows that can change the verdict (README, "Reuse of a proven verdict"). */
    private VerdictKey key(GateJob job, Map<String, String> userProperties, byte[] storeSecret) {
        Map<String, String> derby = new TreeMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("derby.")) {
                derby.put(name, System.getProperty(name));
            }
        }
        return new BuildFacts(pluginVersion(), GateFork.ownClasspath(), localRepository(), basedir(), System.getProperty("java.vendor"),
                System.getProperty("java.version"), fork, argLine, userProperties, derby).key(job, storeSecret);
    }

    private String pluginVersion() {
        if (mojoExecution != null && mojoExecution.getMojoDescriptor() != null && mojoExecution.getMojoDescriptor().getPluginDescriptor() != null) {
            return mojoExecution.getMojoDescriptor().getPluginDescriptor().getVersion();
        }
        return "development";
    }

    private Path localRepository() {
        return session != null && session.getLocalRepository() != null ? Path.of(session.getLocalRepository().getBasedir()) : null;
    }
}
