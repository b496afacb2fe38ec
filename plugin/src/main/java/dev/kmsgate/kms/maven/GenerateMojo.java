package dev.kmsgate.kms.maven;

import dev.kmsgate.kms.Parameters;
import dev.kmsgate.kms.generate.Generator;
import dev.kmsgate.kms.generate.Profile;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Builds a legacy KMS 5.0 ({@code KMS50}) database from a profile: users with signing and
 * encryption certificates (real DER X.509), escrowed keys, and a CRL with the dirt real ones had.
 * The same profile and seed always give the same content; a database already generated from the
 * same profile is reused, and any other existing database is left alone unless {@code overwrite}
 * is set.
 *
 * @since 0.1.0
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_TEST_RESOURCES, threadSafe = true)
public class GenerateMojo extends AbstractKmsMojo {

    /**
     * Where to build the database: a directory (embedded Derby, relative to the project) or a
     * {@code jdbc:derby:} URL.
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.DATABASE_PROPERTY, defaultValue = Parameters.DEFAULT_SOURCE)
    private String database;

    /**
     * Users; each gets a signing and an encryption certificate, and an escrowed key.
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.USERS_PROPERTY, defaultValue = "1000")
    private int users;

    /**
     * Distinct certificates of existing users on the CRL (at most two per user).
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.REVOKED_PROPERTY, defaultValue = "100")
    private int revoked;

    /**
     * Extra CRL rows for already revoked serials: earlier, later, or at the same time with another
     * reason, so that the effective revocation matters.
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.DUPLICATE_REVOCATIONS_PROPERTY, defaultValue = "10")
    private int duplicateRevocations;

    /**
     * CRL rows for serials that name no certificate.
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.ORPHAN_REVOCATIONS_PROPERTY, defaultValue = "10")
    private int orphanRevocations;

    /**
     * Certificates of deleted users (their USER_ID names no user); every other one has a key, and
     * every third one is revoked.
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.ORPHAN_CERTIFICATES_PROPERTY, defaultValue = "10")
    private int orphanCertificates;

    /**
     * Escrowed keys whose serial names no certificate.
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.ORPHAN_KEYS_PROPERTY, defaultValue = "5")
    private int orphanKeys;

    /**
     * Seed of serials, times, reasons and key bytes: the same profile and seed give the same database.
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.SEED_PROPERTY, defaultValue = Parameters.DEFAULT_SEED_TEXT)
    private long seed;

    /**
     * Replace an existing database that was not generated from this profile.
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.OVERWRITE_PROPERTY, defaultValue = "false")
    private boolean overwrite;

    /**
     * Id of a settings.xml {@code <server>} with the database's credentials: {@code <username>},
     * {@code <password>}, and {@code <passphrase>} as the boot password, which creates an encrypted
     * database. Without it, {@code KMS_DATABASE_USER}, {@code KMS_DATABASE_PASSWORD} and
     * {@code KMS_DATABASE_BOOT_PASSWORD} are read from the environment.
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.DATABASE_SERVER_ID_PROPERTY)
    private String databaseServerId;

    @Override
    protected String goal() {
        return "generate";
    }

    @Override
    protected void run() throws MojoExecutionException {
        Profile profile = new Profile(users, revoked, duplicateRevocations, orphanRevocations, orphanCertificates, orphanKeys, seed);
        new Generator(kmsLog()).generate(new Generator.Settings(database("database", database, databaseServerId), profile, overwrite));
    }
}
