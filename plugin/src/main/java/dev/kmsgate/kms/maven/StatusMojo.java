package dev.kmsgate.kms.maven;

import dev.kmsgate.kms.Parameters;
import dev.kmsgate.kms.convert.TargetStatus;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Shows what a target holds, as Flyway's {@code info} does for a schema: the source it was
 * converted from (fingerprint and location), the strategy, the state, the tool version, every
 * run with its capacity, outcome, row changes, transactions and largest transaction, and the
 * finished phases. Opens the target read-only; writes nothing. Run it from the command line:
 * {@code mvn kms:status -Dkms.target=target/kms/kms55}.
 *
 * @since 0.2.0
 */
@Mojo(name = "status", threadSafe = true, requiresProject = false)
public class StatusMojo extends AbstractKmsMojo {

    /**
     * The converted database: a directory or a {@code jdbc:derby:} URL.
     *
     * @since 0.2.0
     */
    @Parameter(property = Parameters.TARGET_PROPERTY, defaultValue = Parameters.DEFAULT_TARGET)
    private String target;

    /**
     * Id of a settings.xml {@code <server>} with the target's credentials.
     *
     * @since 0.2.0
     */
    @Parameter(property = Parameters.TARGET_SERVER_ID_PROPERTY)
    private String targetServerId;

    @Override
    protected String goal() {
        return "status";
    }

    @Override
    protected void run() throws MojoExecutionException {
        TargetStatus.lines(database("target", target, targetServerId)).forEach(getLog()::info);
    }
}
