package dev.kmsgate.kms.robust;

import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.convert.ConversionSettings;
import dev.kmsgate.kms.convert.Converter;
import dev.kmsgate.kms.convert.Strategy;
import dev.kmsgate.kms.store.Credentials;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Databases;
import dev.kmsgate.kms.verify.Verifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Where a database cannot be reached or used, the message says so and the source stays unchanged. */
class AddressingErrorsTest extends SharedDirtySource {

    @AfterEach
    void sourceIsUnchanged() {
        assertSourceUnchanged();
    }

    @Test
    void aNetworkServerThatIsNotRunningIsNamed() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // free once closed: nothing listens there
        }
        DatabaseAddress target = DatabaseAddress.parse("target", "jdbc:derby://127.0.0.1:" + port + "/kms55", dir);
        KmsUsageException refused = assertThrows(KmsUsageException.class, () -> new Converter(KmsLog.silent())
                .convert(ConversionSettings.of(source, target, 10, Strategy.CHUNKED)));
        assertEquals(Messages.format(Messages.SERVER_UNREACHABLE, "jdbc:derby://127.0.0.1:" + port + "/kms55"), refused.getMessage());
        assertEquals("Cannot reach the Derby Network Server for jdbc:derby://127.0.0.1:" + port + "/kms55. Start it, or check the host and port.",
                refused.getMessage());
    }

    @Test
    void aReadOnlyArchiveIsRefusedAsATarget() {
        DatabaseAddress target = DatabaseAddress.parse("target", "jdbc:derby:jar:(archive.zip)kms55", dir);
        KmsUsageException refused = assertThrows(KmsUsageException.class, () -> new Converter(KmsLog.silent())
                .convert(ConversionSettings.of(source, target, 10, Strategy.CHUNKED)));
        assertEquals("<target> names jdbc:derby:jar:(" + dir.resolve("archive.zip") + ")kms55, a read-only database. "
                + "A target must be writable: give a directory or a writable jdbc:derby: URL.", refused.getMessage());
    }

    @Test
    void verifyingAgainstADatabaseThatIsNoKms55TargetSaysSo() throws SQLException {
        DatabaseAddress empty = Fixtures.target(dir);
        try (Connection created = Databases.openOrCreate(empty, Credentials.NONE)) {
            created.commit();
        }
        Fixtures.shutdown(empty);
        KmsUsageException refused = assertThrows(KmsUsageException.class,
                () -> new Verifier(KmsLog.silent()).verify(Verifier.Settings.of(source, empty)));
        assertEquals("<target> " + empty.display() + " is not a KMS 5.5 database written by KMS Gate (no KMS55.KMS_CONVERSION table). "
                + "Run kms:convert first, or set <checkConversionRecord>false</checkConversionRecord> to verify a target written by another converter.",
                refused.getMessage());
        Fixtures.shutdown(empty);
    }
}
