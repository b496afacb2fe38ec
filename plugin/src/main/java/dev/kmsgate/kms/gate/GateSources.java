package dev.kmsgate.kms.gate;

import dev.kmsgate.kms.Sha256;
import dev.kmsgate.kms.generate.Profile;

import java.nio.file.Path;

/**
 * Where the gate keeps its generated sources, and the lock files that claim a source against every
 * other JVM. Public for the verdict store, which evicts sources nobody holds; not an API.
 */
public final class GateSources {

    /** The directory of the lock files, inside the sources directory. */
    public static final String LOCKS = "locks";
    /** Every generated source's directory name starts so: {@code profile-<16 hex digits>}. */
    public static final String PROFILE_PREFIX = "profile-";
    /** The directory of the empty databases that new ones are copied from, one per Derby version and schema. */
    public static final String EMPTY_DATABASES = "empty-databases";

    private GateSources() {
    }

    /** The directory of a profile's source: keyed by the profile's key, which holds the generator's generation. */
    static String directoryName(Profile profile) {
        return PROFILE_PREFIX + Sha256.hex(profile.key()).substring(0, 16);
    }

    /** The lock file that claims the database at a JDBC URL. */
    public static Path lockFile(Path sourcesDirectory, String url) {
        return sourcesDirectory.resolve(LOCKS).resolve(Sha256.hex(url).substring(0, 16) + ".lock");
    }
}
