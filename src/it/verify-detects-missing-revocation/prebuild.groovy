/*
 * Prepares a converted database with one revocation lost, using the plugin's own classes and
 * Derby (the plugin's test class path is on the script class path: addTestClassPath). Runs in the
 * invoker's JVM, so it shuts down both databases and the engine at the end: the forked build must
 * be able to boot them.
 *
 * Profile: 40 users, 30 revoked (+6 duplicate CRL rows), 3 unknown serials, 3 orphan certificates
 * (one revoked), 2 orphan keys: 34 distinct CRL serials, 30 of them name a converted certificate.
 * Writes target/tampered.properties: the serial un-revoked and its effective revocation, computed
 * here from KMS50.KM_CRL (earliest REVOKED_AT, then smallest REASON), not taken from the converter,
 * with the time as UTC wall-clock time (the databases store UTC wall-clock times).
 */
import dev.kmsgate.kms.KmsLog
import dev.kmsgate.kms.convert.ConversionSettings
import dev.kmsgate.kms.convert.Converter
import dev.kmsgate.kms.convert.Strategy
import dev.kmsgate.kms.generate.Generator
import dev.kmsgate.kms.generate.Profile
import dev.kmsgate.kms.store.Credentials
import dev.kmsgate.kms.store.Database
import dev.kmsgate.kms.store.DatabaseAddress
import dev.kmsgate.kms.store.Databases

import java.nio.file.Path
import java.sql.Connection
import java.sql.Driver
import java.sql.SQLException
import java.sql.Timestamp
import java.time.ZoneOffset

Path base = basedir.toPath()
Path derbyLog = base.resolve('target/derby.log')
derbyLog.parent.toFile().mkdirs()
String previousLog = System.getProperty('derby.stream.error.file')
System.setProperty('derby.stream.error.file', derbyLog.toString())

DatabaseAddress database = DatabaseAddress.parse('database', 'target/kms/kms50', base)
DatabaseAddress source = DatabaseAddress.parse('source', 'target/kms/kms50', base)
DatabaseAddress target = DatabaseAddress.parse('target', 'target/kms/kms55', base)
Calendar utc = Calendar.getInstance(TimeZone.getTimeZone('UTC'))

def one = { Connection c, String sql, List args ->
    def statement = c.prepareStatement(sql)
    try {
        args.eachWithIndex { value, i -> statement.setObject(i + 1, value) }
        def rs = statement.executeQuery()
        try {
            assert rs.next(): "no row: ${sql}"
            return rs.getObject(1) instanceof Timestamp ? rs.getTimestamp(1, utc) : rs.getObject(1)
        } finally {
            rs.close()
        }
    } finally {
        statement.close()
    }
}

try {
    new Generator(KmsLog.silent()).generate(new Generator.Settings(Database.of(database),
            new Profile(40, 30, 6, 3, 3, 2, 77L), false))
    new Converter(KmsLog.silent()).convert(ConversionSettings.of(source, target, 20, Strategy.CHUNKED))

    String serial
    Timestamp revokedAt
    Short reason
    Connection s = Databases.openReadOnly(source, Credentials.NONE)
    Connection t = Databases.openExisting(target, Credentials.NONE)
    try {
        serial = one(t, "SELECT MIN(SERIAL) FROM KMS55.CERTIFICATES WHERE STATUS = 'R'", [])
        revokedAt = one(s, 'SELECT MIN(REVOKED_AT) FROM KMS50.KM_CRL WHERE SERIAL = ?', [serial])
        reason = one(s, 'SELECT MIN(REASON) FROM KMS50.KM_CRL WHERE SERIAL = ? AND REVOKED_AT = ?', [serial, revokedAt]) as Short
        s.rollback()
        def update = t.prepareStatement("UPDATE KMS55.CERTIFICATES SET STATUS = 'V', REVOKED_AT = NULL, " +
                "REVOCATION_REASON = NULL WHERE SERIAL = ? AND STATUS = 'R'")
        try {
            update.setString(1, serial)
            assert update.executeUpdate() == 1
        } finally {
            update.close()
        }
        t.commit()
    } finally {
        s.close()
        t.close()
    }

    Properties tampered = new Properties()
    tampered.setProperty('serial', serial)
    // the UTC wall-clock time, as the verifier must name it whatever the JVM's time zone
    tampered.setProperty('revokedAtUtc', Timestamp.valueOf(revokedAt.toInstant().atOffset(ZoneOffset.UTC).toLocalDateTime()).toString())
    tampered.setProperty('reason', reason.toString())
    base.resolve('target/tampered.properties').toFile().withOutputStream { tampered.store(it, 'un-revoked by prebuild.groovy') }
} finally {
    // 08006: a database was shut down; XJ015: the engine was. Both are Derby's way of saying "done".
    Databases.shutdown(source, Credentials.NONE)
    Databases.shutdown(target, Credentials.NONE)
    Driver derby = ServiceLoader.load(Driver, Databases.classLoader).find { it.acceptsURL('jdbc:derby:') }
    try {
        derby.connect('jdbc:derby:;shutdown=true', new Properties())
    } catch (SQLException e) {
        if (e.SQLState != 'XJ015') {
            throw e
        }
    }
    if (previousLog == null) {
        System.clearProperty('derby.stream.error.file')
    }
}
return true
