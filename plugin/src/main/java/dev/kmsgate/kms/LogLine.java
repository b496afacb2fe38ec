package dev.kmsgate.kms;

/**
 * A rendered line with its severity, decided where the line is made, so that whoever logs it
 * never has to read the text to know whether it warns.
 *
 * <p>Public for convert and gate, whose plan and table are made of such lines; not an API.
 *
 * @param text the line as the log shows it
 * @param severity whether it is logged as information or as a warning
 */
public record LogLine(String text, Severity severity) {

    /** How a line is logged. */
    public enum Severity { INFO, WARNING }

    /** A line logged as information. */
    public static LogLine info(String text) {
        return new LogLine(text, Severity.INFO);
    }

    /** A line logged as a warning. */
    public static LogLine warning(String text) {
        return new LogLine(text, Severity.WARNING);
    }

    /** A line that warns when {@code warns} holds. */
    public static LogLine of(String text, boolean warns) {
        return new LogLine(text, warns ? Severity.WARNING : Severity.INFO);
    }

    /** Logs the line at its severity. */
    public void logTo(KmsLog log) {
        if (severity == Severity.WARNING) {
            log.warn(text);
        } else {
            log.info(text);
        }
    }
}
