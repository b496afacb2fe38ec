package dev.kmsgate.kms.mutants;

import dev.kmsgate.kms.verify.Invariant;

import java.util.EnumSet;
import java.util.Set;

import static dev.kmsgate.kms.verify.Invariant.CERTIFICATE_COUNT;
import static dev.kmsgate.kms.verify.Invariant.KEY_COUNT;
import static dev.kmsgate.kms.verify.Invariant.REVOCATION_COUNT;
import static dev.kmsgate.kms.verify.Invariant.REVOCATION_SET;
import static dev.kmsgate.kms.verify.Invariant.ROW_EQUALITY;
import static dev.kmsgate.kms.verify.Invariant.USER_COUNT;

/**
 * One systematic bug of the kind real conversion code has, switched on in {@link MutantConverter}.
 * Each names the invariants verification must fail (exactly those) and a fragment of the first
 * difference of the invariant that names the bug, so a mutant caught for the wrong reason fails.
 */
public enum Mutant {

    // --- chunk boundaries
    LAST_PARTIAL_CHUNK_ROLLED_BACK("the users phase rolls its last partial chunk back instead of committing it (no foreign key stops the certificates of those users)",
            USER_COUNT, "in KM_USER, missing from USERS", USER_COUNT, ROW_EQUALITY),
    LAST_PARTIAL_PAGE_DROPPED("certificates are read in pages of the capacity, and a short page ends the loop unwritten",
            CERTIFICATE_COUNT, "in KM_CERT, missing from CERTIFICATES", CERTIFICATE_COUNT, ROW_EQUALITY),
    PAGE_EDGE_SKIPPED("each page of certificates writes one row fewer than it read: off by one at the chunk edge",
            CERTIFICATE_COUNT, "in KM_CERT, missing from CERTIFICATES", CERTIFICATE_COUNT, ROW_EQUALITY),
    KEYSET_EDGE_REPEATED("the next page starts at SERIAL >= the last one, so each page's edge row is written twice (no key stops it)",
            CERTIFICATE_COUNT, "rows in CERTIFICATES, whose key is SERIAL", CERTIFICATE_COUNT, ROW_EQUALITY),

    // --- the effective-revocation rule
    LATEST_REVOCATION("takes the latest CRL row instead of the earliest",
            REVOCATION_SET, "but the effective revocation is", REVOCATION_SET),
    LARGEST_REASON_ON_TIES("takes the largest reason among CRL rows of the same time",
            REVOCATION_SET, "but the effective revocation is", REVOCATION_SET),
    FIRST_CRL_ROW_SEEN("takes whichever CRL row of the serial the index returns first",
            REVOCATION_SET, "but the effective revocation is", REVOCATION_SET),

    // --- time zones and timestamp precision
    VALIDITY_IN_LOCAL_ZONE("reads NOT_BEFORE and NOT_AFTER as UTC and writes them in the converter host's zone",
            ROW_EQUALITY, "NOT_BEFORE differs in CERTIFICATES", ROW_EQUALITY),
    ENROLLED_AT_TO_SECONDS("truncates ENROLLED_AT to whole seconds",
            ROW_EQUALITY, "ENROLLED_AT differs", ROW_EQUALITY),
    REVOKED_AT_TO_SECONDS("truncates REVOKED_AT to whole seconds",
            REVOCATION_SET, "but the effective revocation is", REVOCATION_SET),

    // --- NULL handling
    WASNULL_OF_ANOTHER_COLUMN("binds REVOCATION_REASON by asking wasNull() of the user look-up: a valid certificate gets reason 0",
            REVOCATION_SET, "STATUS is V but REVOKED_AT or REVOCATION_REASON is set", REVOCATION_SET),
    REASON_ZERO_AS_NULL("writes reason 0 (unspecified) as NULL",
            REVOCATION_SET, "STATUS is R but REVOKED_AT or REVOCATION_REASON is NULL", REVOCATION_SET),
    DISPLAY_NAME_NULL_AS_EMPTY("writes a NULL DISPLAY_NAME as the empty string",
            ROW_EQUALITY, "DISPLAY_NAME differs", ROW_EQUALITY),
    NULL_QUARANTINE_CAUSE("leaves QUARANTINED_CERT.CAUSE NULL",
            ROW_EQUALITY, "CAUSE is NULL in QUARANTINED_CERT, which the format declares NOT NULL", ROW_EQUALITY),

    // --- BLOB and string handling
    DER_COPIED_IN_WHOLE_BUFFERS("copies CERT_DER through a 64-byte buffer and drops the last partial buffer",
            ROW_EQUALITY, "CERT_DER differs", ROW_EQUALITY),
    DER_READ_ONCE_INTO_ONE_KIB("reads CERT_DER with one read() into a 1 KiB buffer, which a larger certificate overflows",
            ROW_EQUALITY, "CERT_DER differs", ROW_EQUALITY),
    DISPLAY_NAME_EMPTY_AS_NULL("trims DISPLAY_NAME and writes an empty one as NULL",
            ROW_EQUALITY, "DISPLAY_NAME differs", ROW_EQUALITY),
    DISPLAY_NAME_TRIMMED("trims DISPLAY_NAME",
            ROW_EQUALITY, "DISPLAY_NAME differs", ROW_EQUALITY),
    DISPLAY_NAME_THROUGH_LATIN1("decodes DISPLAY_NAME's UTF-8 bytes as ISO-8859-1",
            ROW_EQUALITY, "DISPLAY_NAME differs", ROW_EQUALITY),
    WRAPPED_KEY_THROUGH_STRING("round-trips WRAPPED_KEY through a UTF-8 string",
            ROW_EQUALITY, "WRAPPED_KEY differs", ROW_EQUALITY),

    // --- users read in pages of ids
    USERS_PAGED_BY_ID_RANGE("reads users in pages of ids (USER_ID from k*C+1 to (k+1)*C) and stops at the first short page",
            USER_COUNT, "in KM_USER, missing from USERS", USER_COUNT, ROW_EQUALITY),

    // --- key order and merge ends
    LAST_SERIAL_DROPPED("the certificate loop writes the row before the one it reads, and forgets the last",
            CERTIFICATE_COUNT, "in KM_CERT, missing from CERTIFICATES", CERTIFICATE_COUNT, ROW_EQUALITY),
    LAST_REVOCATION_WRITTEN_TWICE("the unmatched-revocation merge writes its last serial again at the end",
            REVOCATION_COUNT, "rows in UNMATCHED_REVOCATION, whose key is SERIAL", REVOCATION_COUNT, REVOCATION_SET),

    // --- quarantine rules
    ORPHAN_CERTIFICATE_KEPT("keeps a certificate of a deleted user in CERTIFICATES (no foreign key stops it)",
            ROW_EQUALITY, "is not a row of USERS", ROW_EQUALITY),
    QUARANTINED_CERTIFICATE_KEY_ARCHIVED("archives the key of a quarantined certificate in KEY_ARCHIVE (no foreign key stops it)",
            ROW_EQUALITY, "in KEY_ARCHIVE, but not a row of CERTIFICATES (its certificate is quarantined)", ROW_EQUALITY),
    WRONG_KEY_CAUSE("quarantines keys without a certificate as CERTIFICATE_QUARANTINED",
            ROW_EQUALITY, "QUARANTINED_KEY.CAUSE is 'CERTIFICATE_QUARANTINED', expected NO_CERTIFICATE", ROW_EQUALITY),
    QUARANTINED_REVOCATION_LOST("writes no UNMATCHED_REVOCATION row for a quarantined certificate's serial",
            REVOCATION_COUNT, "but neither revoked nor in UNMATCHED_REVOCATION", REVOCATION_COUNT, REVOCATION_SET),
    UNKNOWN_SERIAL_REVOCATION_LOST("writes no UNMATCHED_REVOCATION row for a serial no certificate has",
            REVOCATION_COUNT, "but neither revoked nor in UNMATCHED_REVOCATION", REVOCATION_COUNT, REVOCATION_SET),
    STATUS_LOWER_CASE("writes STATUS 'r' for revoked (no CHECK stops it)",
            REVOCATION_SET, "neither V nor R", REVOCATION_COUNT, REVOCATION_SET),
    UNMATCHED_LATEST_REVOCATION("the unmatched-revocation phase takes the latest CRL row of a serial (the certificate phase is right)",
            REVOCATION_SET, "but the effective revocation is", REVOCATION_SET),
    UNMATCHED_PER_CRL_ROW("writes one UNMATCHED_REVOCATION row per CRL row of a serial, not one per serial (no key stops it)",
            REVOCATION_COUNT, "rows in UNMATCHED_REVOCATION, whose key is SERIAL", REVOCATION_COUNT, REVOCATION_SET),

    // --- a schema without constraints, and resume bookkeeping
    RETRIED_FIRST_CHUNK("retries the first users chunk after its commit, writing it twice (no key stops it)",
            USER_COUNT, "rows in USERS, whose key is USER_ID", USER_COUNT, ROW_EQUALITY),
    RESUME_REPEATS_CHECKPOINT("resumes each phase at key >= its checkpoint, writing the checkpoint row again",
            USER_COUNT, "rows in USERS, whose key is USER_ID", USER_COUNT, ROW_EQUALITY),
    RESUME_RESTARTS_PHASE("resumes the certificate phase from its start, ignoring what it had committed",
            CERTIFICATE_COUNT, "rows in CERTIFICATES, whose key is SERIAL", CERTIFICATE_COUNT, ROW_EQUALITY),
    RESUME_SKIPS_A_CHUNK("resumes the certificate phase one chunk past its checkpoint, taken when the chunk was read",
            CERTIFICATE_COUNT, "in KM_CERT, missing from CERTIFICATES", CERTIFICATE_COUNT, ROW_EQUALITY),
    RESUME_IGNORES_QUARANTINE("resumes the certificate and key phases after the greatest key of CERTIFICATES and KEY_ARCHIVE, "
            + "forgetting the quarantine tables (no key stops it)",
            CERTIFICATE_COUNT, "rows in QUARANTINED_CERT, whose key is SERIAL", CERTIFICATE_COUNT, KEY_COUNT, ROW_EQUALITY),
    RESUME_RESTARTS_UNMATCHED("resumes the unmatched-revocation phase from its start (no key stops it)",
            REVOCATION_COUNT, "rows in UNMATCHED_REVOCATION, whose key is SERIAL", REVOCATION_COUNT, REVOCATION_SET);

    private final String bug;
    private final Invariant named;
    private final String difference;
    private final Set<Invariant> failing;

    Mutant(String bug, Invariant named, String difference, Invariant first, Invariant... more) {
        this.bug = bug;
        this.named = named;
        this.difference = difference;
        this.failing = EnumSet.of(first, more);
    }

    /** What the converter gets wrong. */
    public String bug() {
        return bug;
    }

    /** The invariant that names the bug. */
    public Invariant named() {
        return named;
    }

    /** A fragment of the named invariant's first difference. */
    public String difference() {
        return difference;
    }

    /** Every invariant this mutant breaks. */
    public Set<Invariant> failing() {
        return failing;
    }

    /** Whether the converter needs a target without the format's constraints to write its bug (Derby would refuse it). */
    public boolean needsLenientSchema() {
        return switch (this) {
            case LAST_PARTIAL_CHUNK_ROLLED_BACK, KEYSET_EDGE_REPEATED, WASNULL_OF_ANOTHER_COLUMN, REASON_ZERO_AS_NULL, NULL_QUARANTINE_CAUSE,
                 LAST_REVOCATION_WRITTEN_TWICE, ORPHAN_CERTIFICATE_KEPT, QUARANTINED_CERTIFICATE_KEY_ARCHIVED, STATUS_LOWER_CASE,
                 RETRIED_FIRST_CHUNK, RESUME_REPEATS_CHECKPOINT, RESUME_RESTARTS_PHASE, USERS_PAGED_BY_ID_RANGE, UNMATCHED_PER_CRL_ROW,
                 RESUME_IGNORES_QUARANTINE, RESUME_RESTARTS_UNMATCHED -> true;
            default -> false;
        };
    }

    /** Whether the bug is in resume bookkeeping: it shows only when a conversion is stopped and run again. */
    public boolean needsResume() {
        return name().startsWith("RESUME_");
    }

    /**
     * Where a stopped run of this mutant stops: after the first commit of this phase, one the bug
     * resumes wrongly ({@code certificates} for the others, after its fourth commit).
     */
    public String stopPhase() {
        return switch (this) {
            case RESUME_IGNORES_QUARANTINE -> "keys";
            case RESUME_RESTARTS_UNMATCHED -> "revocations";
            default -> "certificates";
        };
    }
}
