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
    private final TargetUserIds targetUsers;
    private final PreparedStatement userExists;

    /**
     * @param lookups a source connection for user look-ups, owned by the caller
     * @param targetUsers the ids of the target's {@code USERS}, filled by the user pass
     * @param strictCauses whether {@code CAUSE} must be KMS Gate's own word (without it, another
     *                     converter's own words pass, but one of KMS Gate's must still be the right one)
     */
    CertificateCheck(RowEquality rows, int limit, Connection lookups, TargetUserIds targetUsers, boolean strictCauses)
            throws SQLException {
        this.count = new CountCheck(Invariant.CERTIFICATE_COUNT, "certificates", limit);
        this.rows = rows;
        this.placement = new Placement(count, rows, "certificate", "KM_CERT", "CERTIFICATES", "QUARANTINED_CERT");
        this.targetUsers = targetUsers;
        this.strictCauses = strictCauses;
        this.userExists = lookups.prepareStatement(Kms50Schema.USER_EXISTS);
    }

    /** Rows of the two certificate tables whose {@code SERIAL} is NULL. */
    void nullKeys(long certificates, long quarantined) {
        placement.nullKeys("CERTIFICATES", certificates);
        placement.nullKeys("QUARANTINED_CERT", quarantined);
    }

    void accept(SerialGroup group) throws SQLException {
        Placement.Place place = placement.place(group.serial(), group.sourceCert() != null, group.rows().certs(),
                group.rows().quarantinedCerts());
        if (place == null) {
            return;
        }
        Rows.Cert source = group.sourceCert();
        boolean converted = place == Placement.Place.CONVERTED;
        Rows.Cert target = converted ? group.cert().cert() : group.quarantinedCert().cert();
        String nullColumn = converted ? NotNull.activeCert(group.cert()) : NotNull.quarantinedCert(group.quarantinedCert());
        if (nullColumn != null) {
            rows.differs(NotNull.describe("serial " + group.serial(), nullColumn, placement.table(place)));
            return;
        }
        String column = source.firstDifference(target);
        String wrongQuarantine = column != null || converted ? null : wrongQuarantine(source, group.quarantinedCert());
        if (column == null && converted && !targetUsers.contains(target.userId())) {
            rows.differs("serial " + group.serial() + ": in CERTIFICATES, but its USER_ID " + target.userId()
                    + " is not a row of USERS");
        } else if (column != null) {
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
        if ((strictCauses || Kms55Schema.CAUSES.contains(quarantined.cause()))
                && !Kms55Schema.CAUSE_UNKNOWN_USER.equals(quarantined.cause())) {
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
