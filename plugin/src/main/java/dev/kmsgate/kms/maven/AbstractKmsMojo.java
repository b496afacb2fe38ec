package dev.kmsgate.kms.maven;

import dev.kmsgate.kms.KmsDefectException;
import dev.kmsgate.kms.KmsException;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.Parameters;
import dev.kmsgate.kms.store.Credentials;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.Databases;
import dev.kmsgate.kms.convert.ForeignConverter;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import javax.inject.Inject;

import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Base of every KMS Gate goal: checks {@code skip} first, then runs the goal and turns the core's
 * typed exceptions into Maven's two outcomes: a defect found is a build FAILURE
 * ({@link MojoFailureException}), a goal that could not do its job is an execution error
 * ({@link MojoExecutionException}). The message is the core's sentence; the cause stays chained
 * for {@code -e}. The core shuts down the embedded databases it boots.
 */
public abstract class AbstractKmsMojo extends AbstractMojo {

    /**
     * Skips this goal.
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.SKIP_PROPERTY, defaultValue = Parameters.DEFAULT_SKIP_TEXT)
    protected boolean skip;

    /** The project being built. */
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    protected MavenProject project;

    /** The user's settings, for the {@code <server>} entries credentials come from. */
    @Parameter(defaultValue = "${settings}", readonly = true, required = true)
    protected Settings settings;

    /** This goal's execution, for the POM values that shadow a user property. */
    @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
    protected MojoExecution mojoExecution;

    /** The build session, for its user properties. */
    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    protected MavenSession session;

    /** Decrypts passwords encrypted with {@code mvn --encrypt-password}; injected by Maven (JSR-330). */
    @Inject
    protected SettingsDecrypter settingsDecrypter;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping kms:" + goal() + " (skip is true, -Dkms.skip).");
            return;
        }
        if (mojoExecution != null && session != null) {
            ShadowedProperties.warnings(mojoExecution.getConfiguration(), session.getUserProperties()).forEach(getLog()::warn);
        }
        Databases.configureEngineLog(buildDirectory().resolve("derby.log"));
        try {
            run();
        } catch (KmsDefectException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (KmsException | UncheckedIOException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
    }

    /** The goal's own work. */
    protected abstract void run() throws MojoExecutionException, MojoFailureException;

    /** The goal's name, for messages. */
    protected abstract String goal();

    protected KmsLog kmsLog() {
        return new MavenKmsLog(getLog());
    }

    protected Path basedir() {
        return project.getBasedir().toPath();
    }

    protected Path buildDirectory() {
        return Path.of(project.getBuild().getDirectory());
    }

    /**
     * A database parameter with its credentials.
     *
     * @param parameter the POM element, named in messages and in the {@code KMS_<PARAMETER>_*} environment variables
     * @param serverId the settings.xml {@code <server>} with its credentials, or null
     */
    protected Database database(String parameter, String value, String serverId) throws MojoExecutionException {
        Credentials credentials = credentials(parameter, serverId);
        return new Database(DatabaseAddress.parse(parameter, value, basedir()), credentials);
    }

    /**
     * The user's converter named by a goal's {@code converter}, loaded from the project's classes,
     * test classes and test-scope dependencies (the goal resolves them); null when unset.
     */
    protected ForeignConverter converter(String className) throws MojoExecutionException {
        if (className == null || className.isBlank()) {
            return null;
        }
        return ForeignConverter.load(className, converterClasspath());
    }

    /** Where a user's converter is loaded from: the project's classes, test classes and test-scope dependencies. */
    protected List<Path> converterClasspath() throws MojoExecutionException {
        List<Path> classpath = new ArrayList<>();
        try {
            for (String element : project.getTestClasspathElements()) {
                classpath.add(Path.of(element));
            }
        } catch (DependencyResolutionRequiredException e) {
            throw new MojoExecutionException("The project's test class path is not resolved: " + e.getMessage(), e);
        }
        return classpath;
    }

    /**
     * Credentials of one database: from the settings.xml {@code <server>} named by {@code serverId}
     * ({@code <username>}, {@code <password>}, and {@code <passphrase>} as the Derby boot password,
     * each decrypted), otherwise from {@code KMS_<ROLE>_USER}, {@code KMS_<ROLE>_PASSWORD} and
     * {@code KMS_<ROLE>_BOOT_PASSWORD} in the environment.
     */
    Credentials credentials(String role, String serverId) throws MojoExecutionException {
        if (serverId == null || serverId.isBlank()) {
            return Credentials.fromEnvironment(role, System.getenv());
        }
        Server server = settings == null ? null : settings.getServer(serverId);
        if (server == null) {
            throw new MojoExecutionException(Messages.format(Messages.SERVER_NOT_IN_SETTINGS, role, serverId));
        }
        if (settingsDecrypter != null) {
            SettingsDecryptionResult result = settingsDecrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
            for (SettingsProblem problem : result.getProblems()) {
                if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
                    throw new MojoExecutionException(Messages.format(Messages.SERVER_NOT_DECRYPTABLE, serverId, problem.getMessage()));
                }
            }
            server = result.getServer();
        }
        return new Credentials(server.getUsername(), server.getPassword(), server.getPassphrase(), "server '" + serverId + "'");
    }
}
