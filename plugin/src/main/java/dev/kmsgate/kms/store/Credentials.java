package dev.kmsgate.kms.store;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * A user name, password and Derby boot password for one database. They come from settings.xml or
 * the environment, never from the POM; {@link #toString()} never shows the secrets.
 *
 * <p>Public for maven, which reads them from settings.xml, and generate, which opens a database
 * with them; not an API.
 *
 * @param user the Derby user, or null
 * @param password the user's password, or null
 * @param bootPassword the boot password of an encrypted database, or null
 * @param origin where they came from, for messages: {@code server 'kms-source'} or {@code environment}
 */
public record Credentials(String user, String password, String bootPassword, String origin) {

    /** No credentials at all: an unencrypted database without authentication. */
    public static final Credentials NONE = new Credentials(null, null, null, "none");

    /**
     * Reads {@code KMS_<ROLE>_USER}, {@code KMS_<ROLE>_PASSWORD} and {@code KMS_<ROLE>_BOOT_PASSWORD}.
     *
     * @param role {@code source}, {@code target} or {@code database}
     */
    public static Credentials fromEnvironment(String role, Map<String, String> environment) {
        String prefix = environmentPrefix(role);
        String user = environment.get(prefix + "USER");
        String password = environment.get(prefix + "PASSWORD");
        String bootPassword = environment.get(prefix + "BOOT_PASSWORD");
        if (user == null && password == null && bootPassword == null) {
            return NONE;
        }
        return new Credentials(user, password, bootPassword, "environment");
    }

    /** {@code KMS_SOURCE_} for role {@code source}. */
    public static String environmentPrefix(String role) {
        return "KMS_" + role.toUpperCase(Locale.ROOT) + "_";
    }

    /** The connection properties Derby reads them from (never the URL, which may be logged). */
    public Properties toProperties() {
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        if (bootPassword != null) {
            properties.setProperty("bootPassword", bootPassword);
        }
        return properties;
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=" + (password == null ? "none" : "****")
                + ", bootPassword=" + (bootPassword == null ? "none" : "****") + ", from " + origin + "]";
    }
}
