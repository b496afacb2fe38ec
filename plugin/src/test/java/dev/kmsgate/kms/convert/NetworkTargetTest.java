package dev.kmsgate.kms.convert;

import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.LoopbackServer;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.TransactionLedger;
import dev.kmsgate.kms.verify.VerificationReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A target reached through a real Derby Network Server on loopback, where rows go in JDBC batches:
 * the final partial chunk of each phase is executed and committed by the phase itself, not left
 * in a batch for the phase record's commit.
 */
class NetworkTargetTest {

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        Fixtures.shutdown(Fixtures.source(dir), Fixtures.target(dir));
    }

    @Test
    void theFinalPartialChunkOfEachPhaseIsCommittedOverTheNetwork() throws Exception {
        DatabaseAddress source = Fixtures.generate(dir, Fixtures.DIRTY);
        try (LoopbackServer server = LoopbackServer.start()) {
            DatabaseAddress target = DatabaseAddress.parse("target", server.url("127.0.0.1", dir.resolve("kms55")), dir);
            TransactionLedger ledger = new TransactionLedger();
            ConversionResult result = new Converter(KmsLog.silent()).convert(new ConversionSettings(Database.of(source),
                    Database.of(target), 37, Strategy.CHUNKED, false, ledger, null));

            assertEquals(ConversionResult.Outcome.CONVERTED, result.outcome());
            // record, run, 40 users (37 and 3), USERS, 146 serial rows (3 chunks of 37 and 35), SERIALS, KEYS, finish, end
            assertEquals(List.of(1, 1, 37, 3, 1, 37, 37, 37, 35, 1, 1, 1, 1), Arrays.stream(ledger.history().sizes()).boxed().toList());
            VerificationReport report = Fixtures.verify(source, target);
            assertTrue(report.passed(), () -> report.failures().toString());
            assertEquals(40, report.result(dev.kmsgate.kms.verify.Invariant.USER_COUNT).actual());
            assertEquals(89, report.result(dev.kmsgate.kms.verify.Invariant.CERTIFICATE_COUNT).actual());
        }
    }
}
