package dev.kmsgate.kms.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive claim on something shared by every JVM on the machine (a generated source that two
 * builds use, the verdict store, a reports directory), held as an operating-system lock on a lock
 * file. Claims nest and are counted per lock file within a JVM, so the threads of one gate share a
 * claim while another JVM waits for it: a JVM cannot lock one file twice, and need not.
 *
 * <p>Public for the gate and the verdict store, which claim what they share; not an API.
 */
public final class FileClaim implements AutoCloseable {

    private static final ConcurrentHashMap<Path, Holder> HOLDERS = new ConcurrentHashMap<>();
    /** How often a claim that waits for another JVM tries again. */
    private static final long POLL_MILLIS = 20;

    private final Holder holder;
    private final boolean exclusive;
    private boolean closed;

    private FileClaim(Holder holder) {
        this(holder, false);
    }

    private FileClaim(Holder holder, boolean exclusive) {
        this.holder = holder;
        this.exclusive = exclusive;
    }

    /**
     * Claims a lock file, creating it and its directory, and waits while another JVM holds it.
     *
     * @param lockFile the file whose lock stands for the shared thing; it is never removed
     */
    public static FileClaim claim(Path lockFile) {
        Holder holder = HOLDERS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), Holder::new);
        holder.acquire();
        return new FileClaim(holder);
    }

    /**
     * Claims a lock file for this thread alone: other JVMs wait, and so do the other threads of this
     * one. For what one writer at a time may change (the verdict store, a reports directory).
     */
    public static FileClaim exclusive(Path lockFile) {
        Holder holder = HOLDERS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), Holder::new);
        holder.threads.lock();
        try {
            holder.acquire();
        } catch (RuntimeException e) {
            holder.threads.unlock();
            throw e;
        }
        return new FileClaim(holder, true);
    }

    /**
     * Claims a lock file if nobody holds it, neither another JVM nor this one; null when somebody does.
     * For what removes the shared thing (an evicted source), which nobody may be using.
     */
    public static FileClaim tryClaim(Path lockFile) {
        Holder holder = HOLDERS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), Holder::new);
        return holder.tryAcquire() ? new FileClaim(holder) : null;
    }

    /** Releases this claim; the last one of the JVM releases the lock. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            holder.release();
            if (exclusive) {
                holder.threads.unlock();
            }
        }
    }

    /** One lock file's lock in this JVM and how many claims hold it. */
    private static final class Holder {
        private final Path file;
        /** Held by the thread of an exclusive claim, so that other threads of this JVM wait too. */
        private final ReentrantLock threads = new ReentrantLock();
        private int claims;
        private FileChannel channel;
        private FileLock lock;

        Holder(Path file) {
            this.file = file;
        }

        synchronized void acquire() {
            if (claims == 0) {
                lockFile(true);
            }
            claims++;
        }

        synchronized boolean tryAcquire() {
            if (claims > 0 || !lockFile(false)) {
                return false;
            }
            claims++;
            return true;
        }

        /**
         * Opens the lock file and locks it, waiting for another JVM or not; false when it would have to
         * wait. It waits by trying again, never by a blocking lock: two JVMs that each hold one source
         * and wait for the other's are no deadlock (each holder's thread lets go when its case ends),
         * but the kernel sees two processes holding and waiting, and refuses one blocking lock with
         * EDEADLK.
         */
        private boolean lockFile(boolean wait) {
            open();
            try {
                lock = channel.tryLock();
                while (lock == null && wait) {
                    Thread.sleep(POLL_MILLIS);
                    lock = channel.tryLock();
                }
            } catch (IOException e) {
                closeChannel();
                throw new UncheckedIOException("Cannot lock " + file, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closeChannel();
                throw new UncheckedIOException("Interrupted while waiting for " + file, new InterruptedIOException());
            }
            if (lock == null) {
                closeChannel();
                return false;
            }
            return true;
        }

        synchronized void release() {
            if (--claims > 0) {
                return;
            }
            try {
                lock.release();
            } catch (IOException e) {
                // closing the channel releases it too
            }
            lock = null;
            closeChannel();
        }

        private void open() {
            try {
                Files.createDirectories(file.getParent());
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot open the lock file " + file, e);
            }
        }

        private void closeChannel() {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing is held any more
            }
            channel = null;
        }
    }
}
