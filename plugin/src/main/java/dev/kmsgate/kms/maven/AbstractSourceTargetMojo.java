package dev.kmsgate.kms.maven;

import dev.kmsgate.kms.Parameters;
import dev.kmsgate.kms.store.Database;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Parameter;

/** The goals that read a legacy source and a converted target: their four shared parameters. */
public abstract class AbstractSourceTargetMojo extends AbstractKmsMojo {

    /**
     * The legacy database: a directory (embedded Derby, relative to the project) or a
     * {@code jdbc:derby:} URL (embedded, {@code memory:}, {@code jar:(archive.zip)name}, or
     * {@code //host:port/name} for a Derby Network Server).
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.SOURCE_PROPERTY, defaultValue = Parameters.DEFAULT_SOURCE)
    private String source;

    /**
     * The converted database: a directory or a {@code jdbc:derby:} URL. {@code kms:convert} creates it if missing.
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.TARGET_PROPERTY, defaultValue = Parameters.DEFAULT_TARGET)
    private String target;

    /**
     * Id of a settings.xml {@code <server>} with the source's credentials ({@code <username>},
     * {@code <password>}, {@code <passphrase>} as boot password). Without it,
     * {@code KMS_SOURCE_USER}, {@code KMS_SOURCE_PASSWORD} and {@code KMS_SOURCE_BOOT_PASSWORD}
     * are read from the environment.
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.SOURCE_SERVER_ID_PROPERTY)
    private String sourceServerId;

    /**
     * Id of a settings.xml {@code <server>} with the target's credentials. Without it,
     * {@code KMS_TARGET_USER}, {@code KMS_TARGET_PASSWORD} and {@code KMS_TARGET_BOOT_PASSWORD}
     * are read from the environment; a boot password creates an encrypted target.
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.TARGET_SERVER_ID_PROPERTY)
    private String targetServerId;

    /** The legacy source, with its credentials. */
    protected Database sourceDatabase() throws MojoExecutionException {
        return database("source", source, sourceServerId);
    }

    /** The converted target, with its credentials. */
    protected Database targetDatabase() throws MojoExecutionException {
        return database("target", target, targetServerId);
    }
}
