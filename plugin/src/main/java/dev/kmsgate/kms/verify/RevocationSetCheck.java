package dev.kmsgate.kms.verify;

import dev.kmsgate.kms.store.Rows;

import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Invariant 5: the revoked serial sets are equal, each with its effective revocation time and
 * reason: a serial on the CRL is revoked in {@code CERTIFICATES} (when its certificate was
 * converted) or in {@code UNMATCHED_REVOCATION} (when not), never both; nothing else is.
 */
final class RevocationSetCheck {

    private static final DateTimeFormatter UTC_SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final Differences differences;
    private long crlSerials;
    private long matching;

    RevocationSetCheck(int limit) {
        this.differences = new Differences(limit);
    }

    void accept(SerialGroup group) {
        String serial = group.serial();
        Rows.Revocation effective = group.revocation();
        Rows.ActiveCert cert = group.cert();
        Rows.Revocation unmatched = group.unmatched();
        boolean revokedHere = cert != null && "R".equals(cert.status());
        String nullColumn = unmatched == null ? null : NotNull.revocation(unmatched);
        if (nullColumn != null) {
            differences.add(NotNull.describe("serial " + serial, nullColumn, "UNMATCHED_REVOCATION"));
        }
        if (group.rows().unmatched() > 1) {
            differences.add("serial " + serial + ": " + group.rows().unmatched() + " rows in UNMATCHED_REVOCATION, whose key is SERIAL");
        }
        if (effective != null) {
            crlSerials++;
            if (cert != null) {
                if (!revokedHere) {
                    differences.add("serial " + serial + ": on the CRL (" + describe(effective) + ") but STATUS is " + cert.status());
                } else if (!Objects.equals(cert.revokedAt(), effective.revokedAt()) || !Objects.equals(cert.revocationReason(), effective.reason())) {
                    differences.add("serial " + serial + ": revoked " + describe(cert.revokedAt(), cert.revocationReason())
                            + ", but the effective revocation is " + describe(effective));
                } else if (unmatched != null) {
                    differences.add("serial " + serial + ": revoked and also in UNMATCHED_REVOCATION");
                } else {
                    matching++;
                }
            } else if (unmatched == null) {
                differences.add("serial " + serial + ": on the CRL (" + describe(effective) + ") but neither revoked nor in UNMATCHED_REVOCATION");
            } else if (!Objects.equals(unmatched.revokedAt(), effective.revokedAt()) || !Objects.equals(unmatched.reason(), effective.reason())) {
                differences.add("serial " + serial + ": UNMATCHED_REVOCATION has " + describe(unmatched)
                        + ", but the effective revocation is " + describe(effective));
            } else {
                matching++;
            }
        } else {
            if (revokedHere) {
                differences.add("serial " + serial + ": STATUS is R but the serial is not on the CRL");
            }
            if (unmatched != null) {
                differences.add("serial " + serial + ": in UNMATCHED_REVOCATION but not on the CRL");
            }
        }
        if (cert != null && "V".equals(cert.status()) && (cert.revokedAt() != null || cert.revocationReason() != null)) {
            differences.add("serial " + serial + ": STATUS is V but REVOKED_AT or REVOCATION_REASON is set");
        }
        if (revokedHere && (cert.revokedAt() == null || cert.revocationReason() == null)) {
            differences.add("serial " + serial + ": STATUS is R but REVOKED_AT or REVOCATION_REASON is NULL");
        }
        if (cert != null && !"V".equals(cert.status()) && !"R".equals(cert.status())) {
            differences.add("serial " + serial + ": STATUS is '" + cert.status() + "', neither V nor R");
        }
    }

    /** Rows of {@code UNMATCHED_REVOCATION} whose {@code SERIAL} is NULL. */
    void nullKeys(long rows) {
        if (rows > 0) {
            differences.add(rows + (rows == 1 ? " row" : " rows") + " of UNMATCHED_REVOCATION with a NULL SERIAL");
        }
    }

    /** The first differences, which invariant 4 shows when its counts do not hold. */
    List<String> firstDifferences() {
        return differences.first();
    }

    InvariantResult result() {
        return differences.result(Invariant.REVOCATION_SET, crlSerials, matching,
                String.format(Locale.ROOT, "%,d of %,d revoked serials carry their effective revocation", matching, crlSerials));
    }

    private static String describe(Rows.Revocation revocation) {
        return describe(revocation.revokedAt(), revocation.reason());
    }

    private static String describe(Timestamp at, Short reason) {
        return "at " + utcText(at) + " UTC, reason " + reason;
    }

    /** UTC wall-clock time in {@link Timestamp#toString()}'s layout, whatever the JVM's zone. */
    private static String utcText(Timestamp at) {
        if (at == null) {
            return "null";
        }
        String nanos = at.getNanos() == 0 ? "0" : String.format(Locale.ROOT, "%09d", at.getNanos()).replaceFirst("0+$", "");
        return UTC_SECONDS.format(at.toInstant()) + "." + nanos;
    }
}
