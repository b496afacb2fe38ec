package dev.kmsgate.kms.cache;

import dev.kmsgate.kms.gate.GateReport;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A passing verdict as the store keeps it, in {@code verdicts/<key>.json}: the key and the inputs
 * it was made of (so a later build can say which changed), the project it was proved for, and the
 * gate's whole result record, which every report of a reused verdict is rendered from.
 *
 * @param format {@link VerdictKey#FORMAT} when it was written; another format is not trusted
 * @param project {@code groupId:artifactId:execution} of the build that proved it
 * @param report the gate's result, or null in a project's record of its last key ({@code projects/})
 */
record StoredVerdict(String format, String key, String project, Map<String, String> inputs, GateReport report) {

    public StoredVerdict {
        inputs = Collections.unmodifiableSortedMap(inputs == null ? new TreeMap<>() : new TreeMap<>(inputs));
    }
}
