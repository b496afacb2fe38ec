package dev.kmsgate.kms.maven;

import dev.kmsgate.kms.store.Credentials;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Credentials come from a settings.xml server by id; a missing id is named with the fix. */
class CredentialsTest {

    private final VerifyMojo mojo = new VerifyMojo();

    @Test
    void aServerIdThatSettingsDoNotHaveIsNamedWithTheFix() {
        mojo.settings = new Settings();
        MojoExecutionException error = assertThrows(MojoExecutionException.class, () -> mojo.credentials("source", "kms-prod"));
        assertEquals("<sourceServerId> is 'kms-prod', but settings.xml has no <server> with that id. Add one with the database's "
                + "<username>, <password> and (for an encrypted database) <passphrase>.", error.getMessage());
    }

    @Test
    void aServersUsernamePasswordAndPassphraseBecomeUserPasswordAndBootPassword() throws MojoExecutionException {
        Server server = new Server();
        server.setId("kms-target");
        server.setUsername("kms");
        server.setPassword("s3cret-password");
        server.setPassphrase("b00t-passphrase");
        mojo.settings = new Settings();
        mojo.settings.addServer(server);

        Credentials credentials = mojo.credentials("target", "kms-target");

        assertEquals("kms", credentials.user());
        assertEquals("s3cret-password", credentials.password());
        assertEquals("b00t-passphrase", credentials.bootPassword());
        assertEquals("server 'kms-target'", credentials.origin());
        assertFalse(credentials.toString().contains("s3cret") || credentials.toString().contains("b00t"));
    }
}
