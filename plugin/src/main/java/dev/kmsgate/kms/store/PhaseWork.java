package dev.kmsgate.kms.store;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The work a conversion spent on one table it wrote: the row changes its committed transactions
 * made there, and the CPU time of the committing thread since its previous commit, shared among
 * the tables of each transaction by their row changes. A converter that converts table by table
 * shows its phases so; work before its first commit with row changes (connections, schema) goes to
 * {@link #NO_ROWS}.
 *
 * <p>Public for gate, whose scaling proof names the phase that grew fastest, and report; not an API.
 *
 * @param table the table as its statements name it, upper case ({@code KMS55.KEY_ARCHIVE})
 */
public record PhaseWork(String table, long rows, long cpuNanos) {

    /** What commits without row changes cost: connections, schema, statements. */
    public static final String NO_ROWS = "(no rows)";

    /** What statements whose table the guard could not read changed. */
    public static final String UNKNOWN = "(unknown table)";

    private static final Pattern WRITTEN = Pattern.compile(
            "^\\s*(?:INSERT\\s+INTO|UPDATE|DELETE\\s+FROM|MERGE\\s+INTO)\\s+((?:\"[^\"]+\"|[\\w$]+)(?:\\s*\\.\\s*(?:\"[^\"]+\"|[\\w$]+))?)",
            Pattern.CASE_INSENSITIVE);

    /** The table a statement writes, as {@link #table} names it, or {@link #UNKNOWN}. */
    static String tableOf(String sql) {
        if (sql == null) {
            return UNKNOWN;
        }
        Matcher matcher = WRITTEN.matcher(sql);
        if (!matcher.find()) {
            return UNKNOWN;
        }
        StringBuilder name = new StringBuilder();
        for (String part : matcher.group(1).split("\\s*\\.\\s*")) {
            if (name.length() > 0) {
                name.append('.');
            }
            name.append(part.startsWith("\"") ? part.substring(1, part.length() - 1) : part.toUpperCase(Locale.ROOT));
        }
        return name.toString();
    }
}
