package dev.kmsgate.kms.store;

import dev.kmsgate.kms.KmsException;
import dev.kmsgate.kms.WorkMeter;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Reads ahead on a second thread: the producer (all reads of the source) fills batches into a
 * small bounded queue while the caller writes the target, so source reads and target writes
 * overlap on two cores. Memory is bounded by {@code depth} batches of {@code batchSize} rows.
 * A producer failure is rethrown to the caller; closing stops the producer.
 *
 * <p>Public for convert and verify, which read the source on a second thread; not an API.
 *
 * @param <T> what is produced
 */
public final class ReadAhead<T> implements AutoCloseable {

    /** Produces every item in order into the sink. */
    @FunctionalInterface
    public interface Producer<T> {
        void produce(Sink<T> sink) throws Exception;
    }

    /** Where a producer puts items. */
    @FunctionalInterface
    public interface Sink<T> {
        void accept(T item) throws InterruptedException;
    }

    private static final Object END = new Object();

    private final BlockingQueue<Object> queue;
    private final int batchSize;
    private final Thread thread;
    private volatile boolean closed;
    private List<T> current = List.of();
    private int position;
    private boolean finished;

    public ReadAhead(String name, int batchSize, int depth, Producer<T> producer) {
        this.batchSize = batchSize;
        this.queue = new ArrayBlockingQueue<>(depth);
        this.thread = new Thread(WorkMeter.counted(() -> run(producer)), name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run(Producer<T> producer) {
        List<T> batch = new ArrayList<>(batchSize);
        List<List<T>> holder = new ArrayList<>(List.of(batch));
        try {
            producer.produce(item -> {
                List<T> b = holder.get(0);
                b.add(item);
                if (b.size() >= batchSize) {
                    put(b);
                    holder.set(0, new ArrayList<>(batchSize));
                }
            });
            if (!holder.get(0).isEmpty()) {
                put(holder.get(0));
            }
            put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            try {
                if (!holder.get(0).isEmpty()) {
                    put(holder.get(0)); // what was produced before the failure still arrives, in order
                }
                put(new Failure(t));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void put(Object item) throws InterruptedException {
        while (!closed) {
            if (queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
        throw new InterruptedException("closed");
    }

    /** The next item, or null when the producer is done. */
    @SuppressWarnings("unchecked")
    public T next() throws InterruptedException {
        while (position >= current.size()) {
            if (finished) {
                return null;
            }
            Object item = queue.take();
            if (item == END) {
                finished = true;
                return null;
            }
            if (item instanceof Failure failure) {
                finished = true;
                throw failure.rethrow();
            }
            current = (List<T>) item;
            position = 0;
        }
        return current.get(position++);
    }

    /**
     * The next item, or null when the producer is done; a producer's {@link SQLException} comes
     * back as itself, and an interrupted wait becomes {@code onInterrupt}'s exception.
     */
    public T nextRow(Supplier<? extends RuntimeException> onInterrupt) throws SQLException {
        try {
            return next();
        } catch (ProducerException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw onInterrupt.get();
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A producer's failure, carried to the consumer's thread. */
    private record Failure(Throwable cause) {
        RuntimeException rethrow() {
            if (cause instanceof KmsException kms) {
                return kms;
            }
            if (cause instanceof RuntimeException runtime) {
                return runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            return new ProducerException(cause);
        }
    }

    /** A checked failure of the producer (an {@link java.sql.SQLException}), for the consumer to unwrap. */
    public static final class ProducerException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ProducerException(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }
}
