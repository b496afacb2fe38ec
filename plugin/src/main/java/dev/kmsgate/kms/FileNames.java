package dev.kmsgate.kms;

/**
 * A name made safe for a file or an HTML id: every character but letters, digits, {@code .},
 * {@code _}, {@code +} and {@code -} becomes {@code _}, so a case named {@code C+1} keeps its name.
 *
 * <p>Public for gate and report, which name files and anchors after cases; not an API.
 */
public final class FileNames {

    private FileNames() {
    }

    /** {@code my case/1} becomes {@code my_case_1}. */
    public static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._+-]", "_");
    }
}
