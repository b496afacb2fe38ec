package dev.kmsgate.kms.maven;

import dev.kmsgate.kms.KmsLog;
import org.apache.maven.plugin.logging.Log;

/** Adapts the core's {@link KmsLog} to Maven's {@link Log}. */
final class MavenKmsLog implements KmsLog {

    private final Log log;

    MavenKmsLog(Log log) {
        this.log = log;
    }

    @Override
    public void info(String message) {
        log.info(message);
    }

    @Override
    public void warn(String message) {
        log.warn(message);
    }

    @Override
    public void debug(String message) {
        log.debug(message);
    }
}
