package dev.kmsgate.kms.verify;

import dev.kmsgate.kms.store.Kms50Schema;
import dev.kmsgate.kms.store.Kms55Schema;
import dev.kmsgate.kms.store.Rows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Invariant 2 (every certificate once, converted or quarantined) and its share of invariant 6
 * (equal in every column, and quarantined only when its user really is unknown; in a target KMS
 * Gate wrote, with KMS Gate's {@code CAUSE}).
 */
final class CertificateCheck implements AutoCloseable {

    private final CountCheck count;
    private final RowEquality rows;
    private final Placement placement;
    private final boolean strictCauses;
    private final PreparedStatement userExists;

    /**
     * @param lookups a source connection for user look-ups, owned by the caller
     * @param strictCauses whether {@code CAUSE} must be KMS Gate's own word
     */
    CertificateCheck(RowEquality rows, int limit, Connection lookups, boolean strictCauses) throws SQLException {
        this.count = new CountCheck(Invariant.CERTIFICATE_COUNT, "certificates", limit);
        this.rows = rows;
        this.placement = new Placement(count, rows, "certificate", "KM_CERT", "CERTIFICATES", "QUARANTINED_CERT");
        this.strictCauses = strictCauses;
        this.userExists = lookups.prepareStatement(Kms50Schema.USER_EXISTS);
    }

    void accept(SerialGroup group) throws SQLException {
        Placement.Place place = placement.place(group.serial(), group.sourceCert() != null, group.cert() != null,
                group.quarantinedCert() != null);
        if (place == null) {
            return;
        }
        Rows.Cert source = group.sourceCert();
        Rows.Cert target = place == Placement.Place.CONVERTED ? group.cert().cert() : group.quarantinedCert().cert();
        String column = source.firstDifference(target);
        String wrongQuarantine = column != null || place == Placement.Place.CONVERTED ? null
                : wrongQuarantine(source, group.quarantinedCert());
        if (column != null) {
            rows.differs("serial " + group.serial() + ": " + column + " differs in " + placement.table(place));
        } else if (wrongQuarantine != null) {
            rows.differs("serial " + group.serial() + ": " + wrongQuarantine);
        } else {
            rows.equal();
        }
    }

    private String wrongQuarantine(Rows.Cert source, Rows.QuarantinedCert quarantined) throws SQLException {
        if (userExists(source.userId())) {
            return "quarantined as " + quarantined.cause() + " although user " + source.userId() + " exists";
        }
        if (strictCauses && !Kms55Schema.CAUSE_UNKNOWN_USER.equals(quarantined.cause())) {
            return "QUARANTINED_CERT.CAUSE is '" + quarantined.cause() + "', but user " + source.userId()
                    + " is unknown: expected " + Kms55Schema.CAUSE_UNKNOWN_USER;
        }
        return null;
    }

    private boolean userExists(int userId) throws SQLException {
        userExists.setInt(1, userId);
        try (ResultSet rs = userExists.executeQuery()) {
            return rs.next();
        }
    }

    InvariantResult result() {
        return count.result();
    }

    @Override
    public void close() throws SQLException {
        userExists.close();
    }
}
