package dev.kmsgate.kms.robust;

import dev.kmsgate.kms.store.Sql;
import dev.kmsgate.kms.store.StoreException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which failures count as a full disk: the chains Derby builds, and the ones it must not be confused with. */
class DiskFullDetectionTest {

    @Test
    void aPageThatCouldNotBeWrittenIsAFullDisk() {
        BatchUpdateException batch = new BatchUpdateException("Page could not be written", "XJ001", 0, new int[0]);
        batch.setNextException(new SQLException("Page Page(2,Container(0, 1200)) could not be written to disk", "XSDG1"));
        assertTrue(Sql.isDiskFull(new StoreException("Converting into /t", batch)));
    }

    @Test
    void noSpaceLeftOnDeviceAnywhereInTheChainIsAFullDisk() {
        SQLException create = new SQLException("Exception during creation of file", "XSDF1",
                new RuntimeException("wrapped", new IOException("No space left on device")));
        assertTrue(Sql.isDiskFull(new SQLException("Exception during creation of file", "XJ001", create)));
    }

    @Test
    void otherFailuresAreNotAFullDisk() {
        assertFalse(Sql.isDiskFull(new SQLException("A lock could not be obtained within the time requested", "40XL1")));
        assertFalse(Sql.isDiskFull(new StoreException("INSERT", new SQLException("duplicate key", "23505"))));
        assertFalse(Sql.isDiskFull(new IOException("Permission denied")));
        SQLException loop = new SQLException("loop", "XJ001");
        loop.setNextException(loop);
        assertFalse(Sql.isDiskFull(loop));
    }
}
