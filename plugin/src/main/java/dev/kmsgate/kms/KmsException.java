package dev.kmsgate.kms;

/**
 * Base of the core's typed exceptions. Its message is written for the person running the build:
 * what is wrong and what to do, in one or two sentences, with no secret in it.
 *
 * <p>Public for store, gate and fork, which extend or catch it, and maven, which reports it;
 * not an API.
 */
public abstract class KmsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    protected KmsException(String message) {
        super(message);
    }

    protected KmsException(String message, Throwable cause) {
        super(message, cause);
    }
}
