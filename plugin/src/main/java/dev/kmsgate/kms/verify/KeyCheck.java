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

    void accept(SerialGroup group) {
        Placement.Place place = placement.place(group.serial(), group.sourceKey() != null, group.key() != null,
                group.quarantinedKey() != null);
        if (place == null) {
            return;
        }
        Rows.QuarantinedKey quarantined = group.quarantinedKey();
        String expectedCause = group.sourceCert() == null ? Kms55Schema.CAUSE_NO_CERTIFICATE : Kms55Schema.CAUSE_CERTIFICATE_QUARANTINED;
        String serial = group.serial();
        if (!group.sourceKey().equals(place == Placement.Place.CONVERTED ? group.key() : quarantined.key())) {
            rows.differs("serial " + serial + ": WRAPPED_KEY differs in " + placement.table(place));
        } else if (place == Placement.Place.QUARANTINED && group.cert() != null) {
            rows.differs("serial " + serial + ": key quarantined as " + quarantined.cause() + " although its certificate was converted");
        } else if (place == Placement.Place.QUARANTINED && strictCauses && !quarantined.cause().equals(expectedCause)) {
            rows.differs("serial " + serial + ": QUARANTINED_KEY.CAUSE is '" + quarantined.cause() + "', expected " + expectedCause);
        } else {
            rows.equal();
        }
    }

    InvariantResult result() {
        return count.result();
    }
}
