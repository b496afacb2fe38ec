package dev.kmsgate.kms.store;


/**
 * Collapses CRL rows, ordered by serial, time and reason, into one effective revocation per
 * serial: the earliest {@code REVOKED_AT}, and among rows with that time the smallest
 * {@code REASON}, which is the first row of each serial.
 *
 * <p>Public for convert, which writes one revocation per serial; not an API.
 */
public final class EffectiveRevocations implements AutoCloseable {

    private final OrderedCursor<Rows.Revocation, String> rows;

    public EffectiveRevocations(OrderedCursor<Rows.Revocation, String> rows) {
        this.rows = rows;
    }

    /** The serial of the next effective revocation, or null at the end. */
    public String peekSerial() {
        return rows.peekKey();
    }

    /** Takes the next serial's effective revocation, skipping its other CRL rows. */
    public Rows.Revocation take() {
        Rows.Revocation effective = rows.take();
        if (effective != null) {
            while (rows.takeIf(effective.serial()) != null) {
                // later or equal-time rows with larger reasons do not change the effective revocation
            }
        }
        return effective;
    }

    /** Takes the effective revocation of {@code serial} if it is next, otherwise null. */
    public Rows.Revocation takeIf(String serial) {
        String next = rows.peekKey();
        return next != null && next.equals(serial) ? take() : null;
    }

    /** CRL rows read so far. */
    public long rowsRead() {
        return rows.rows();
    }

    @Override
    public void close() {
        rows.close();
    }
}
