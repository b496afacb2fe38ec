package dev.kmsgate.kms;

/**
 * The goal found what it exists to find: an invariant that does not hold, a conversion that
 * aborted under the transaction capacity, a gate that could not prove itself. The Maven goals turn
 * it into a build FAILURE ({@code MojoFailureException}).
 *
 * <p>Public for convert, verify, gate and fork, which throw it, and maven, which fails the goal
 * with it; not an API.
 */
public class KmsDefectException extends KmsException {

    private static final long serialVersionUID = 1L;

    public KmsDefectException(String message) {
        super(message);
    }

    public KmsDefectException(String message, Throwable cause) {
        super(message, cause);
    }
}
