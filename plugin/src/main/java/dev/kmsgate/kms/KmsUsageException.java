package dev.kmsgate.kms;

/**
 * The goal could not do its job: bad configuration, a missing, locked or wrong-format database,
 * a refused target. The Maven goals turn it into a build ERROR ({@code MojoExecutionException}).
 */
public class KmsUsageException extends KmsException {

    private static final long serialVersionUID = 1L;

    public KmsUsageException(String message) {
        super(message);
    }

    public KmsUsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
