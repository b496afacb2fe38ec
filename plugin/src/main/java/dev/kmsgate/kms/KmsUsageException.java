package dev.kmsgate.kms;

/**
 * The goal could not do its job: bad configuration, a missing, locked or wrong-format database,
 * a refused target. The Maven goals turn it into a {@code MojoExecutionException} (Maven prints
 * BUILD FAILURE, with the message and a link to the MojoExecutionException page).
 *
 * <p>Public for every package that refuses a setup or an input, the goals in maven included;
 * not an API.
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
