package dev.kmsgate.kms.verify;

/**
 * The invariants of the formats ({@code docs/formats.md}), in their numbering.
 *
 * <p>Public for gate, whose self-proof reads the revocation invariants' results; not an API.
 */
public enum Invariant {

    USER_COUNT(1, "users", "|S.KM_USER| = |T.USERS|"),
    CERTIFICATE_COUNT(2, "certificates", "|S.KM_CERT| = |T.CERTIFICATES| + |T.QUARANTINED_CERT|"),
    KEY_COUNT(3, "keys", "|S.KM_KEY| = |T.KEY_ARCHIVE| + |T.QUARANTINED_KEY|"),
    REVOCATION_COUNT(4, "revocation counts",
            "|distinct S.KM_CRL.SERIAL| = |T.CERTIFICATES where STATUS='R'| + |T.UNMATCHED_REVOCATION|, and the revoked count equals the CRL serials that name a converted certificate"),
    REVOCATION_SET(5, "revoked serials", "the revoked serial sets are equal, each with its effective revocation time and reason"),
    ROW_EQUALITY(6, "row equality", "every converted row equals its source row in all columns, BLOBs included"),
    CONVERSION_RECORD(7, "conversion record", "the target records a finished conversion of this very source");

    private final int number;
    private final String title;
    private final String statement;

    Invariant(int number, String title, String statement) {
        this.number = number;
        this.title = title;
        this.statement = statement;
    }

    public int number() {
        return number;
    }

    public String title() {
        return title;
    }

    /** The invariant as the spec states it. */
    public String statement() {
        return statement;
    }

    /** The name used for test cases and in messages: {@code invariant 4 (revocation counts)}. */
    public String label() {
        return "invariant " + number + " (" + title + ")";
    }
}
