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
     */
    Place place(String serial, boolean inSource, boolean converted, boolean quarantined) {
        if (inSource) {
            count.source(1);
            rows.sourceRow();
        }
        count.target((converted ? 1 : 0) + (quarantined ? 1 : 0));
        if (inSource && !converted && !quarantined) {
            count.differs("serial " + serial + ": in " + sourceTable + ", missing from " + convertedTable + " and " + quarantineTable);
            rows.differs("serial " + serial + ": " + noun + " missing from the target");
        } else if (!inSource && (converted || quarantined)) {
            count.differs("serial " + serial + ": in " + (converted ? convertedTable : quarantineTable) + ", not in " + sourceTable);
            rows.differs("serial " + serial + ": " + noun + " in the target but not in " + sourceTable);
        } else if (inSource && converted && quarantined) {
            count.differs("serial " + serial + ": in both " + convertedTable + " and " + quarantineTable);
            rows.differs("serial " + serial + ": " + noun + " converted twice");
        } else if (inSource) {
            return converted ? Place.CONVERTED : Place.QUARANTINED;
        }
        return null;
    }
}
