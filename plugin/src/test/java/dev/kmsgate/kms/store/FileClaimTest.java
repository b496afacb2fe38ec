package dev.kmsgate.kms.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Claims within one JVM: shared ones nest across threads, an exclusive one keeps every other thread out, and a try never waits. */
class FileClaimTest {

    @TempDir
    Path dir;

    @Test
    void sharedClaimsOfOneJvmNestAcrossThreads() throws Exception {
        Path lock = dir.resolve("source.lock");
        try (FileClaim first = FileClaim.claim(lock)) {
            // another thread of this JVM shares the claim instead of waiting for it
            CompletableFuture.runAsync(() -> FileClaim.claim(lock).close()).get(10, TimeUnit.SECONDS);
            // but nothing may remove what a claim of this JVM holds
            assertNull(FileClaim.tryClaim(lock));
        }
        try (FileClaim free = FileClaim.tryClaim(lock)) {
            assertNotNull(free);
        }
    }

    @Test
    void anExclusiveClaimKeepsOtherThreadsWaitingUntilItIsReleased() throws Exception {
        Path lock = dir.resolve("store.lock");
        CountDownLatch claimed = new CountDownLatch(1);
        CompletableFuture<Void> other;
        try (FileClaim mine = FileClaim.exclusive(lock)) {
            other = CompletableFuture.runAsync(() -> {
                try (FileClaim theirs = FileClaim.exclusive(lock)) {
                    claimed.countDown();
                }
            });
            assertFalse(claimed.await(500, TimeUnit.MILLISECONDS), "another thread claimed what this one holds exclusively");
            assertThrows(TimeoutException.class, () -> other.get(100, TimeUnit.MILLISECONDS));
        }
        other.get(10, TimeUnit.SECONDS);
        assertTrue(claimed.await(0, TimeUnit.SECONDS));
    }
}
