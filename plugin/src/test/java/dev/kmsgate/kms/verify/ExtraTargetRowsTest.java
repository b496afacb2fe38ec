package dev.kmsgate.kms.verify;

import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.convert.Strategy;
import dev.kmsgate.kms.generate.Profile;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Sql;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A target that holds a certificate or a key the source never had, as a converter that invents or
 * duplicates rows under another serial writes it: the counts and the row equality both name it,
 * with the table it is in.
 */
class ExtraTargetRowsTest {

    /** 6 users, 14 certificates (2 quarantined), 8 keys. */
    private static final Profile PROFILE = new Profile(6, 2, 1, 1, 2, 1, 3L);
    /** A serial no generated certificate has (theirs are at least 10 hex digits). */
    private static final String INVENTED = "7e57";

    @TempDir
    Path dir;

    private DatabaseAddress source;
    private DatabaseAddress target;

    private void convert() {
        source = Fixtures.generate(dir, PROFILE);
        target = Fixtures.target(dir);
        Fixtures.convert(source, target, 5, Strategy.CHUNKED);
    }

    private void tamper(String sql) throws SQLException {
        try (Connection c = Fixtures.open(target)) {
            Sql.update(c, sql);
            c.commit();
        }
    }

    @ParameterizedTest
    @CsvSource({"CERTIFICATES, 'SERIAL, USER_ID, USAGE, ISSUER_DN, SUBJECT_DN, NOT_BEFORE, NOT_AFTER, CERT_DER, STATUS, REVOKED_AT, REVOCATION_REASON'",
                "QUARANTINED_CERT, 'SERIAL, USER_ID, USAGE, ISSUER_DN, SUBJECT_DN, NOT_BEFORE, NOT_AFTER, CERT_DER, CAUSE'"})
    void aCertificateTheSourceNeverHadFailsTheCountAndTheRowsNamingItsTable(String table, String columns) throws SQLException {
        convert();
        String copied = columns.replaceFirst("SERIAL", "'" + INVENTED + "'");
        // a copy of a valid row under the invented serial, so that only the placement is wrong
        String valid = table.equals("CERTIFICATES") ? " WHERE STATUS = 'V'" : "";
        tamper("INSERT INTO KMS55." + table + " (" + columns + ") SELECT " + copied + " FROM KMS55." + table
                + " WHERE SERIAL = (SELECT MIN(SERIAL) FROM KMS55." + table + valid + ")");

        VerificationReport report = Fixtures.verifyData(source, target);

        InvariantResult count = report.result(Invariant.CERTIFICATE_COUNT);
        assertEquals(InvariantResult.Status.FAILED, count.status());
        assertEquals(14, count.expected());
        assertEquals(15, count.actual());
        assertEquals(List.of("serial " + INVENTED + ": in " + table + ", not in KM_CERT"), count.differences());
        assertEquals(List.of("serial " + INVENTED + ": certificate in the target but not in KM_CERT"),
                report.result(Invariant.ROW_EQUALITY).differences());
        assertEquals(List.of(Invariant.CERTIFICATE_COUNT, Invariant.ROW_EQUALITY),
                report.failures().stream().map(InvariantResult::invariant).toList());
    }

    @Test
    void aKeyTheSourceNeverHadFailsTheKeyCountNamingItsTable() throws SQLException {
        convert();
        tamper("INSERT INTO KMS55.QUARANTINED_KEY (SERIAL, WRAPPED_KEY, CAUSE) SELECT '" + INVENTED + "', WRAPPED_KEY, CAUSE "
                + "FROM KMS55.QUARANTINED_KEY WHERE SERIAL = (SELECT MIN(SERIAL) FROM KMS55.QUARANTINED_KEY)");

        VerificationReport report = Fixtures.verifyData(source, target);

        InvariantResult keys = report.result(Invariant.KEY_COUNT);
        assertEquals(8, keys.expected());
        assertEquals(9, keys.actual());
        assertEquals(List.of("serial " + INVENTED + ": in QUARANTINED_KEY, not in KM_KEY"), keys.differences());
        assertTrue(report.failures().stream().map(InvariantResult::invariant).toList().contains(Invariant.KEY_COUNT));
        assertEquals(List.of("serial " + INVENTED + ": key in the target but not in KM_KEY"),
                report.result(Invariant.ROW_EQUALITY).differences());
    }

    /**
     * A revocation the target holds wrongly, as a converter that revokes the wrong serial or writes an
     * unmatched revocation twice leaves it: both revocation invariants fail, naming the serial.
     *
     * @param serialOf the query that picks the serial ({@code INVENTED} for none)
     * @param sql the tampering, with {@code {serial}} for the serial
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // a valid certificate marked revoked
        "SELECT MIN(SERIAL) FROM KMS55.CERTIFICATES WHERE STATUS = 'V' | UPDATE KMS55.CERTIFICATES SET STATUS = 'R', "
                + "REVOKED_AT = TIMESTAMP('2021-01-01 00:00:00'), REVOCATION_REASON = 1 WHERE SERIAL = '{serial}' "
                + "| STATUS is R but the serial is not on the CRL",
        // an unmatched revocation the CRL never had
        "INVENTED | INSERT INTO KMS55.UNMATCHED_REVOCATION (SERIAL, REVOKED_AT, REASON) VALUES ('{serial}', "
                + "TIMESTAMP('2021-01-01 00:00:00'), 1) | in UNMATCHED_REVOCATION but not on the CRL",
        // a revoked certificate also in UNMATCHED_REVOCATION
        "SELECT MIN(SERIAL) FROM KMS55.CERTIFICATES WHERE STATUS = 'R' | INSERT INTO KMS55.UNMATCHED_REVOCATION "
                + "(SERIAL, REVOKED_AT, REASON) SELECT SERIAL, REVOKED_AT, REVOCATION_REASON FROM KMS55.CERTIFICATES "
                + "WHERE SERIAL = '{serial}' | revoked and also in UNMATCHED_REVOCATION"})
    void aRevocationTheSourceDoesNotHaveFailsBothRevocationInvariantsNamingItsSerial(String serialOf, String sql, String finding)
            throws SQLException {
        convert();
        String serial = INVENTED;
        if (!serialOf.equals("INVENTED")) {
            try (Connection c = Fixtures.open(target)) {
                serial = Sql.queryString(c, serialOf);
                c.rollback();
            }
        }
        tamper(sql.replace("{serial}", serial));

        VerificationReport report = Fixtures.verifyData(source, target);
        List<String> expected = List.of("serial " + serial + ": " + finding);
        assertEquals(List.of(Invariant.REVOCATION_COUNT, Invariant.REVOCATION_SET),
                report.failures().stream().map(InvariantResult::invariant).toList());
        assertEquals(expected, report.result(Invariant.REVOCATION_COUNT).differences());
        assertEquals(expected, report.result(Invariant.REVOCATION_SET).differences());
    }
}
