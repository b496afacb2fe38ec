package dev.kmsgate.kms.verify;

/**
 * Invariants 2 and 3 for one kind of row: each source row of {@code sourceTable} must be in exactly
 * one of two target tables (converted or quarantined), and no target row may lack a source row.
 * Certificates and keys are judged by the same rule, each by its own instance.
 */
final class Placement {

    /** Where a serial's row was found, when it was found exactly once. */
    enum Place { CONVERTED, QUARANTINED }

    private final CountCheck count;
    private final RowEquality rows;
    private final String noun;
    private final String sourceTable;
    private final String convertedTable;
    private final String quarantineTable;

    /**
     * @param noun the row, for messages: {@code certificate}
     */
    Placement(CountCheck count, RowEquality rows, String noun, String sourceTable, String convertedTable, String quarantineTable) {
        this.count = count;
        this.rows = rows;
        this.noun = noun;
        this.sourceTable = sourceTable;
        this.convertedTable = convertedTable;
        this.quarantineTable = quarantineTable;
    }

    /** The table's name for a place, for messages. */
    String table(Place place) {
        return place == Place.CONVERTED ? convertedTable : quarantineTable;
    }

    /**
     * Counts one serial's rows and reports a wrong presence to both invariants; returns where its
     * one target row is, to be compared, or null when there is nothing to compare.
     *
     * @param converted the serial's rows in the converted table (more than 1 breaks its key)
     * @param quarantined the serial's rows in the quarantine table
     */
    Place place(String serial, boolean inSource, int converted, int quarantined) {
        if (inSource) {
            count.source(1);
            rows.sourceRow();
        }
        count.target(converted + quarantined);
        if (inSource && converted == 0 && quarantined == 0) {
            count.differs("serial " + serial + ": in " + sourceTable + ", missing from " + convertedTable + " and " + quarantineTable);
            rows.differs("serial " + serial + ": " + noun + " missing from the target");
        } else if (!inSource && converted + quarantined > 0) {
            count.differs("serial " + serial + ": in " + (converted > 0 ? convertedTable : quarantineTable) + ", not in " + sourceTable);
            rows.differs("serial " + serial + ": " + noun + " in the target but not in " + sourceTable);
        } else if (inSource && converted > 0 && quarantined > 0) {
            count.differs("serial " + serial + ": in both " + convertedTable + " and " + quarantineTable);
            rows.differs("serial " + serial + ": " + noun + " converted twice");
        } else if (inSource && converted + quarantined > 1) {
            String table = converted > 0 ? convertedTable : quarantineTable;
            count.differs("serial " + serial + ": " + (converted + quarantined) + " rows in " + table + ", whose key is SERIAL");
            rows.differs("serial " + serial + ": " + noun + " in " + table + " " + (converted + quarantined) + " times");
        } else if (inSource) {
            return converted > 0 ? Place.CONVERTED : Place.QUARANTINED;
        }
        return null;
    }

    /** Counts a target table's rows whose {@code SERIAL} is NULL: rows of no source row. */
    void nullKeys(String table, long nullRows) {
        if (nullRows > 0) {
            count.target(nullRows);
            count.differs(nullRows + (nullRows == 1 ? " row" : " rows") + " of " + table + " with a NULL SERIAL");
        }
    }
}
