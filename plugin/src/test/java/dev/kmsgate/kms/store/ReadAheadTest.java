package dev.kmsgate.kms.store;

import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadAheadTest {

    @Test
    void itemsArriveInOrderAcrossBatchesThenNull() throws SQLException {
        List<Integer> seen = new ArrayList<>();
        try (ReadAhead<Integer> stream = new ReadAhead<>("test", 7, 2, sink -> {
            for (int i = 0; i < 1000; i++) {
                sink.accept(i);
            }
        })) {
            for (Integer item = stream.nextRow(IllegalStateException::new); item != null; item = stream.nextRow(IllegalStateException::new)) {
                seen.add(item);
            }
            assertNull(stream.nextRow(IllegalStateException::new));
        }
        assertEquals(1000, seen.size());
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, seen.get(i));
        }
    }

    @Test
    void aProducersSqlExceptionComesBackAsItselfAfterTheItemsBeforeIt() throws SQLException {
        SQLException failure = new SQLException("disk on fire", "XSDG1");
        try (ReadAhead<Integer> stream = new ReadAhead<>("test", 4, 2, sink -> {
            sink.accept(1);
            sink.accept(2);
            throw failure;
        })) {
            assertEquals(1, stream.nextRow(IllegalStateException::new));
            assertEquals(2, stream.nextRow(IllegalStateException::new));
            assertSame(failure, assertThrows(SQLException.class, () -> stream.nextRow(IllegalStateException::new)));
        }
    }

    @Test
    void anInterruptedConsumerGetsTheGivenErrorAndKeepsItsInterruptFlag() {
        CountDownLatch never = new CountDownLatch(1);
        try (ReadAhead<Integer> stream = new ReadAhead<>("test", 4, 2, sink -> never.await())) {
            Thread.currentThread().interrupt();
            KmsUsageException error = assertThrows(KmsUsageException.class,
                    () -> stream.nextRow(() -> new KmsUsageException(Messages.VERIFICATION_INTERRUPTED)));
            assertEquals("Verification was interrupted before it compared every row. Nothing was written; run kms:verify again.", error.getMessage());
            assertTrue(Thread.interrupted(), "the interrupt flag is restored for the caller");
        }
    }

    @Test
    void closingStopsAProducerBlockedOnAFullQueue() throws InterruptedException {
        CountDownLatch finished = new CountDownLatch(1);
        ReadAhead<Integer> stream = new ReadAhead<>("test", 1, 1, sink -> {
            try {
                for (int i = 0; ; i++) {
                    sink.accept(i);
                }
            } finally {
                finished.countDown();
            }
        });
        stream.close();
        assertTrue(finished.await(5, TimeUnit.SECONDS), "the producer ended when the stream was closed");
        assertFalse(Thread.currentThread().isInterrupted());
    }
}
