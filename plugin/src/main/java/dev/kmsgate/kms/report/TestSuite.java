package dev.kmsgate.kms.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JUnit-style test suite: what CI servers (Jenkins, GitLab, GitHub) show as tests.
 *
 * @param name the suite name, also the file name {@code TEST-<name>.xml}
 * @param properties shown with the suite (never a secret)
 */
record TestSuite(String name, Map<String, String> properties, List<Case> cases, double seconds) {

    public TestSuite {
        properties = new LinkedHashMap<>(properties);
        cases = List.copyOf(cases);
    }

    /** One test case: passed, failed (with a message and detail) or skipped (with a reason). */
    public record Case(String name, Outcome outcome, String message, String detail, double seconds) {
    }

    /** How a test case ended. */
    public enum Outcome { PASSED, FAILED, SKIPPED }

    public long failures() {
        return cases.stream().filter(c -> c.outcome() == Outcome.FAILED).count();
    }

    public long skipped() {
        return cases.stream().filter(c -> c.outcome() == Outcome.SKIPPED).count();
    }
}
