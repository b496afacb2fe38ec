package dev.kmsgate.kms.gate;

import dev.kmsgate.kms.KmsDefectException;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The gate's outcome: every case of its shard, and whether the gate proved it can see the defect.
 *
 * <p>Public for report, which renders it, and fork and cache, which carry and store it; not an API.
 *
 * @param converter the name reports show for the converter under test: {@link ConverterUnderTest#BUILT_IN} or the user's class
 * @param builtIn whether KMS Gate's own converter was under test (then {@code strategy} says which)
 * @param proof what the reference defect did on a case above the capacity, or null when another shard proves it
 * @param shard the share of the gate this run was ({@link Shard#ALL} unsharded)
 * @param finished when the run that reached this verdict ended
 * @param reuse how this verdict was reused from a stored one, or null when this build's own run reached it
 * @param growth what the scaling proof measured, or null when it is off or another shard runs it
 */
public record GateReport(int transactionCapacity, String strategy, String converter, boolean builtIn, int threads, List<CaseResult> cases,
                         List<ResumeTrial> trials, SelfProof proof, Duration elapsed, Shard shard, Instant finished,
                         Reuse reuse, Growth growth) {

    public GateReport {
        cases = List.copyOf(cases);
        trials = List.copyOf(trials);
        shard = shard == null ? Shard.ALL : shard;
        if (proof == null && shard.all()) {
            throw new IllegalArgumentException("the whole gate always runs its self-proof");
        }
        finished = finished == null ? Instant.now() : finished;
    }

    /** A verdict this build's own run reached, just now, without the scaling proof. */
    public GateReport(int transactionCapacity, String strategy, String converter, boolean builtIn, int threads, List<CaseResult> cases,
                      List<ResumeTrial> trials, SelfProof proof, Duration elapsed, Shard shard) {
        this(transactionCapacity, strategy, converter, builtIn, threads, cases, trials, proof, elapsed, shard, null, null, null);
    }

    /** This verdict, as a later build reuses it. */
    public GateReport reused(Reuse how) {
        return new GateReport(transactionCapacity, strategy, converter, builtIn, threads, cases, trials, proof, elapsed, shard, finished, how,
                growth);
    }

    /**
     * How a stored verdict was reused: nothing it depends on changed since the run that proved it.
     *
     * @param key the verdict's key: the SHA-256 of everything that can change it, in hex
     */
    public record Reuse(String key) {
    }

    /** {@code reused: nothing the verdict depends on changed since the run of 2026-12-07 08:55:12 UTC (key 3f9a...)}. */
    public String reuseLine() {
        return String.format(Locale.ROOT, "verdict reused: nothing it depends on changed since the run of %s that proved it (key %s).",
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC).format(finished), reuse.key());
    }

    /** Whether this run holds the self-proof (every unsharded run does; exactly one shard of N does). */
    public boolean proves() {
        return proof != null;
    }

    public List<CaseResult> failures() {
        return cases.stream().filter(c -> !c.passed()).toList();
    }

    public List<ResumeTrial> failedTrials() {
        return trials.stream().filter(t -> !t.passed()).toList();
    }

    /** {@code strategy 'chunked'} or {@code converter com.example.Upgrade}, as the verdict names what was judged. */
    public String subject() {
        return builtIn() ? "strategy '" + strategy + "'" : "converter " + converter;
    }

    public boolean passed() {
        return failures().isEmpty() && failedTrials().isEmpty() && (proof == null || proof.sighted()) && (growth == null || growth.passed());
    }

    /** Throws {@link KmsDefectException} naming every failing case, or a blind gate, unless the gate passed. */
    public GateReport requirePassed() {
        if (!passed()) {
            throw new KmsDefectException(failureMessage());
        }
        return this;
    }

    /** Problems as one clause list: a sentence's own full stop is dropped before the next, so no {@code .;}. */
    private static String joined(List<String> problems) {
        StringBuilder text = new StringBuilder();
        for (String problem : problems) {
            if (text.length() > 0) {
                if (text.charAt(text.length() - 1) == '.') {
                    text.setLength(text.length() - 1);
                }
                text.append("; ");
            }
            text.append(problem);
        }
        return text.toString();
    }

    /** The build failure message: every failing case and why, and blindness if any. */
    public String failureMessage() {
        StringBuilder message = new StringBuilder();
        if (!failures().isEmpty() || !failedTrials().isEmpty()) {
            message.append(String.format(Locale.ROOT, "The KMS gate failed at transactionCapacity %,d with %s%s: %d of %d cases fall short",
                    transactionCapacity, subject(), shard.all() ? "" : " (" + shard.label() + ")", failures().size(), cases.size()));
            message.append(trials.isEmpty() ? "." : String.format(Locale.ROOT, ", %d of %d resume trials fail.",
                    failedTrials().size(), trials.size()));
            for (CaseResult failure : failures()) {
                message.append(System.lineSeparator()).append("  - case ").append(failure.gateCase().name()).append(": ")
                        .append(joined(failure.problems()));
            }
            for (ResumeTrial failure : failedTrials()) {
                message.append(System.lineSeparator()).append("  - ").append(failure.label()).append(": ")
                        .append(joined(failure.problems()));
            }
        }
        if (growth != null && !growth.passed()) {
            if (message.length() == 0) {
                message.append(String.format(Locale.ROOT, "The KMS gate failed at transactionCapacity %,d with %s%s: its work grows faster than "
                        + "its data.", transactionCapacity, subject(), shard.all() ? "" : " (" + shard.label() + ")"));
            }
            message.append(System.lineSeparator()).append("  - ").append(growth.line());
        }
        if (proof != null && !proof.sighted()) {
            if (message.length() > 0) {
                message.append(System.lineSeparator());
            }
            message.append("The gate is blind: the reference defect (single-transaction) on case ").append(proof.caseName())
                    .append(" was not caught: ").append(String.join("; ", proof.blindness()))
                    .append(". A gate that cannot fail proves nothing; fix the capacity guard or the verifier.");
        }
        return message.toString();
    }

    /**
     * The gate's proof that it can fail: the reference defect on a case above the capacity must be
     * refused by the capacity guard, and verification of what it left must fail, with and without
     * the conversion-record check (so the data invariants themselves see the missing revocations).
     *
     * @param caseName the case it ran on
     * @param refusedAt the row changes at which the guard refused the defect's transaction, or 0 if it never did
     * @param failedInvariants the invariants that failed on what the defect left (record check on)
     * @param failedDataInvariants the invariants that failed with the record check off
     * @param blindness what was missing, empty when the gate can see
     */
    public record SelfProof(String caseName, long revocations, long refusedAt, List<Integer> failedInvariants,
                            List<Integer> failedDataInvariants, List<String> blindness) {
        public SelfProof {
            failedInvariants = List.copyOf(failedInvariants);
            failedDataInvariants = List.copyOf(failedDataInvariants);
            blindness = List.copyOf(blindness);
        }

        public boolean sighted() {
            return blindness.isEmpty();
        }
    }
}
