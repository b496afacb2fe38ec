package dev.kmsgate.kms.verify;

import dev.kmsgate.kms.store.Kms55Schema;
import dev.kmsgate.kms.store.Rows;

/**
 * Invariant 3 (every key once, archived or quarantined) and its share of invariant 6 (byte for
 * byte, never shown; quarantined only when its certificate is missing or quarantined; in a target
 * KMS Gate wrote, with KMS Gate's {@code CAUSE}).
 */
final class KeyCheck {

    private final CountCheck count;
    private final RowEquality rows;
    private final Placement placement;
    private final boolean strictCauses;

    KeyCheck(RowEquality rows, int limit, boolean strictCauses) {
        this.count = new CountCheck(Invariant.KEY_COUNT, "keys", limit);
        this.rows = rows;
        this.placement = new Placement(count, rows, "key", "KM_KEY", "KEY_ARCHIVE", "QUARANTINED_KEY");
        this.strictCauses = strictCauses;
    }

    /** Rows of the two key tables whose {@code SERIAL} is NULL. */
    void nullKeys(long archived, long quarantined) {
        placement.nullKeys("KEY_ARCHIVE", archived);
        placement.nullKeys("QUARANTINED_KEY", quarantined);
    }

    void accept(SerialGroup group) {
        Placement.Place place = placement.place(group.serial(), group.sourceKey() != null, group.rows().keys(),
                group.rows().quarantinedKeys());
        if (place == null) {
            return;
        }
        Rows.QuarantinedKey quarantined = group.quarantinedKey();
        String expectedCause = group.sourceCert() == null ? Kms55Schema.CAUSE_NO_CERTIFICATE : Kms55Schema.CAUSE_CERTIFICATE_QUARANTINED;
        String serial = group.serial();
        boolean archived = place == Placement.Place.CONVERTED;
        String nullColumn = archived ? NotNull.key(group.key()) : NotNull.quarantinedKey(quarantined);
        if (nullColumn != null) {
            rows.differs(NotNull.describe("serial " + serial, nullColumn, placement.table(place)));
        } else if (!group.sourceKey().equals(archived ? group.key() : quarantined.key())) {
            rows.differs("serial " + serial + ": WRAPPED_KEY differs in " + placement.table(place));
        } else if (archived && group.cert() == null) {
            rows.differs("serial " + serial + ": in KEY_ARCHIVE, but not a row of CERTIFICATES"
                    + (group.quarantinedCert() != null ? " (its certificate is quarantined)" : ""));
        } else if (!archived && group.cert() != null) {
            rows.differs("serial " + serial + ": key quarantined as " + quarantined.cause() + " although its certificate was converted");
        } else if (!archived && (strictCauses || Kms55Schema.CAUSES.contains(quarantined.cause()))
                && !expectedCause.equals(quarantined.cause())) {
            rows.differs("serial " + serial + ": QUARANTINED_KEY.CAUSE is '" + quarantined.cause() + "', expected " + expectedCause);
        } else {
            rows.equal();
        }
    }

    InvariantResult result() {
        return count.result();
    }
}
