package dev.kmsgate.kms.store;

import dev.kmsgate.kms.spi.TeamConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The guard's ledger keeps a conversion's work by the table it wrote: the scaling proof names a phase with it. */
class PhaseWorkTest {

    @TempDir
    Path dir;

    @Test
    void theTableAStatementWritesIsReadFromItsSql() {
        assertEquals("KMS55.USERS", PhaseWork.tableOf("INSERT INTO KMS55.USERS VALUES (?, ?)"));
        assertEquals("KMS55.CERTIFICATES", PhaseWork.tableOf("  update kms55.certificates set STATUS = 'R' where SERIAL = ?"));
        assertEquals("KMS55.KEY_ARCHIVE", PhaseWork.tableOf("DELETE FROM \"KMS55\" . \"KEY_ARCHIVE\" WHERE 1 = 0"));
        assertEquals("T", PhaseWork.tableOf("insert into t (a) values (1)"));
        assertEquals(PhaseWork.UNKNOWN, PhaseWork.tableOf("SELECT 1 FROM SYSIBM.SYSDUMMY1"));
        assertEquals(PhaseWork.UNKNOWN, PhaseWork.tableOf(null));
    }

    @Test
    void eachCommitsWorkGoesToTheTablesItChangedByTheirRowChanges() throws Exception {
        TransactionLedger ledger = new TransactionLedger();
        Database target = Database.of(DatabaseAddress.parse("target", dir.resolve("t").toString(), dir));
        try (Lease lease = target.lease(); Connection raw = target.openOrCreate();
             Connection guarded = CapacityGuard.guard(raw, 100, ledger)) {
            try (Statement ddl = guarded.createStatement()) {
                ddl.execute("CREATE TABLE A (ID INTEGER PRIMARY KEY)");
                ddl.execute("CREATE TABLE B (ID INTEGER PRIMARY KEY)");
            }
            guarded.commit();
            ledger.trackWork();
            try (PreparedStatement a = guarded.prepareStatement("INSERT INTO A VALUES (?)");
                 PreparedStatement b = guarded.prepareStatement("INSERT INTO B VALUES (?)")) {
                for (int i = 0; i < 60; i++) {
                    a.setInt(1, i);
                    a.executeUpdate();
                    if (i % 3 == 0) {
                        b.setInt(1, i);
                        b.executeUpdate();
                    }
                    TeamConverter.spin(3_000_000); // CPU the commit's work measures (Linux counts a thread's user time in 10 ms ticks)
                    if (i % 20 == 19) {
                        guarded.commit();
                    }
                }
            }
            guarded.rollback();
        }

        List<PhaseWork> phases = ledger.phaseWork();
        assertEquals(List.of("A", "B"), phases.stream().map(PhaseWork::table).toList());
        assertEquals(60, phases.get(0).rows());
        assertEquals(20, phases.get(1).rows());
        // 20 of each transaction's 26 or 27 row changes are A's: about three quarters of the work
        double share = (double) phases.get(0).cpuNanos() / (phases.get(0).cpuNanos() + phases.get(1).cpuNanos());
        assertEquals(0.75, share, 0.02);
        assertTrue(phases.get(0).cpuNanos() + phases.get(1).cpuNanos() >= 60 * 3_000_000L * 8 / 10, phases::toString);
    }

    @Test
    void aLedgerThatDoesNotTrackWorkKeepsNone() throws Exception {
        TransactionLedger ledger = new TransactionLedger();
        Database target = Database.of(DatabaseAddress.parse("target", dir.resolve("u").toString(), dir));
        try (Lease lease = target.lease(); Connection raw = target.openOrCreate();
             Connection guarded = CapacityGuard.guard(raw, 100, ledger); Statement statement = guarded.createStatement()) {
            statement.execute("CREATE TABLE A (ID INTEGER PRIMARY KEY)");
            statement.executeUpdate("INSERT INTO A VALUES (1)");
            guarded.commit();
        }
        assertEquals(List.of(), ledger.phaseWork());
    }
}
