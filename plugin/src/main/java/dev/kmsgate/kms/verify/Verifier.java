package dev.kmsgate.kms.verify;

import java.util.concurrent.atomic.AtomicLong;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.Progress;
import dev.kmsgate.kms.store.Credentials;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Databases;
import dev.kmsgate.kms.store.Kms50Schema;
import dev.kmsgate.kms.store.Kms55Schema;
import dev.kmsgate.kms.store.OrderedCursor;
import dev.kmsgate.kms.store.Rows;
import dev.kmsgate.kms.store.Schemas;
import dev.kmsgate.kms.store.SourceFacts;
import dev.kmsgate.kms.store.Sql;
import dev.kmsgate.kms.store.StoreException;
import dev.kmsgate.kms.store.KeyAndRevocation;
import dev.kmsgate.kms.store.ReadAhead;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Checks every invariant of kms-formats.md between a {@code KMS50} source and a {@code KMS55}
 * target. Both databases are opened read-only and streamed in key order: one merge over users,
 * one merge over the serial space of all eight certificate, key and revocation tables. Memory does
 * not grow with the databases. Every mismatch is collected; the report names each invariant, its
 * two numbers and its first differing keys.
 *
 * <p>An unfinished or foreign target fails invariant 7 and its data invariants are reported as
 * skipped, not as data mismatches, unless {@code checkConversionRecord} is off (to verify a target
 * written by another converter, or what a failed conversion left).
 */
public final class Verifier {

    /** What to verify. */
    public record Settings(DatabaseAddress source, Credentials sourceCredentials, DatabaseAddress target,
                           Credentials targetCredentials, int mismatchLimit, boolean checkConversionRecord) {
        public Settings {
            sourceCredentials = sourceCredentials == null ? Credentials.NONE : sourceCredentials;
            targetCredentials = targetCredentials == null ? Credentials.NONE : targetCredentials;
            if (mismatchLimit < 1) {
                throw new KmsUsageException(Messages.format(Messages.MISMATCH_LIMIT_TOO_SMALL, mismatchLimit));
            }
        }

        public static Settings of(DatabaseAddress source, DatabaseAddress target) {
            return new Settings(source, null, target, null, DEFAULT_MISMATCH_LIMIT, true);
        }

        public Settings withCheckConversionRecord(boolean check) {
            return new Settings(source, sourceCredentials, target, targetCredentials, mismatchLimit, check);
        }
    }

    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(10);
    private static final int READ_BATCH = 256;
    private static final int READ_DEPTH = 4;

    /** How many differing keys each invariant lists by default. */
    public static final int DEFAULT_MISMATCH_LIMIT = 10;

    private final KmsLog log;

    public Verifier(KmsLog log) {
        this.log = log;
    }

    /** Verifies and returns the report; it never throws for a mismatch (see {@link #verifyOrFail}). */
    public VerificationReport verify(Settings settings) {
        long started = System.nanoTime();
        try (Connection source = Databases.openReadOnly(settings.source(), settings.sourceCredentials());
             Connection target = Databases.openReadOnly(settings.target(), settings.targetCredentials())) {
            requireFormats(source, target, settings);
            SourceFacts facts = SourceFacts.read(source);
            List<InvariantResult> results = new ArrayList<>();
            InvariantResult record = conversionRecord(target, facts, settings);
            Pass pass = null;
            if (record.status() == InvariantResult.Status.FAILED) {
                for (Invariant invariant : Invariant.values()) {
                    if (invariant != Invariant.CONVERSION_RECORD) {
                        results.add(new InvariantResult(invariant, InvariantResult.Status.SKIPPED, 0, 0,
                                "not checked: " + record.detail(), List.of(), 0));
                    }
                }
            } else {
                // more source connections: one per source reader thread, one for user look-ups
                try (Connection lookups = Databases.openReadOnly(settings.source(), settings.sourceCredentials());
                     Connection keySource = Databases.openReadOnly(settings.source(), settings.sourceCredentials())) {
                    pass = new Pass(source, target, lookups, keySource, settings.mismatchLimit(),
                            new Progress(log, "verify " + settings.target().display(), facts.users() + facts.certificates() + facts.keys(), PROGRESS_INTERVAL), settings.checkConversionRecord());
                    pass.users();
                    pass.serials();
                    results.addAll(pass.results());
                    lookups.rollback();
                    keySource.rollback();
                }
            }
            results.add(record);
            source.rollback();
            target.rollback();
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            VerificationReport report = new VerificationReport(name(settings.target()), settings.source().display(),
                    settings.target().display(), results, pass == null ? 0 : pass.rowsStreamed.get(), elapsed);
            log(report);
            return report;
        } catch (SQLException e) {
            throw new StoreException("Verifying " + settings.target().display(), e);
        }
    }

    /** Verifies and throws {@link VerificationFailedException} if any invariant fails. */
    public VerificationReport verifyOrFail(Settings settings) {
        VerificationReport report = verify(settings);
        if (!report.passed()) {
            throw new VerificationFailedException(report);
        }
        return report;
    }

    private void log(VerificationReport report) {
        for (InvariantResult result : report.results()) {
            String line = "  " + result.status() + "  " + result.describe();
            if (result.failed()) {
                log.warn(line);
            } else {
                log.info(line);
            }
        }
        log.info(String.format(Locale.ROOT, "Verified %s against %s: %d of %d invariants hold (%,d rows compared in %.1f s).",
                report.target(), report.source(),
                report.results().stream().filter(r -> r.status() == InvariantResult.Status.PASSED).count(),
                report.results().size(), report.rowsCompared(), report.elapsed().toMillis() / 1000.0));
    }

    /** A short report name: the target directory's or database's last path element. */
    public static String name(DatabaseAddress address) {
        String text = address.directory().map(Path::getFileName).map(Path::toString).orElse(address.display());
        text = text.replaceAll("[;?].*$", "");
        int cut = Math.max(text.lastIndexOf('/'), Math.max(text.lastIndexOf(':'), text.lastIndexOf(')')));
        return text.substring(cut + 1).replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static void requireFormats(Connection source, Connection target, Settings settings) {
        List<String> missing = Kms50Schema.missingTables(source);
        if (!missing.isEmpty()) {
            if (Schemas.tables(source, Kms55Schema.SCHEMA).contains("CERTIFICATES")) {
                throw new KmsUsageException(Messages.format(Messages.SOURCE_IS_KMS55, settings.source().display()));
            }
            throw new KmsUsageException(Messages.format(Messages.SOURCE_NOT_KMS50, settings.source().display(), String.join(", ", missing)));
        }
        Set<String> tables = Schemas.tables(target, Kms55Schema.SCHEMA);
        if (!tables.containsAll(Kms55Schema.DATA_TABLES)) {
            if (tables.isEmpty() && Kms50Schema.missingTables(target).isEmpty()) {
                throw new KmsUsageException(Messages.format(Messages.TARGET_IS_KMS50, settings.target().display()));
            }
            throw new KmsUsageException(Messages.format(Messages.TARGET_NOT_KMS55, settings.target().display()));
        }
        if (settings.checkConversionRecord() && !tables.contains("KMS_CONVERSION")) {
            throw new KmsUsageException(Messages.format(Messages.TARGET_NOT_KMS55, settings.target().display()));
        }
    }

    private static InvariantResult conversionRecord(Connection target, SourceFacts facts, Settings settings) {
        if (!settings.checkConversionRecord()) {
            return new InvariantResult(Invariant.CONVERSION_RECORD, InvariantResult.Status.SKIPPED, 0, 0,
                    "not checked: checkConversionRecord is off", List.of(), 0);
        }
        String fingerprint = Sql.queryString(target, "SELECT SOURCE_FINGERPRINT FROM KMS55.KMS_CONVERSION WHERE ID = 1");
        String state = Sql.queryString(target, "SELECT STATE FROM KMS55.KMS_CONVERSION WHERE ID = 1");
        if (fingerprint == null) {
            return failedRecord("the target has no conversion record; it was never converted into");
        }
        if (!fingerprint.equals(facts.fingerprint())) {
            return failedRecord("the target holds a conversion of another source (fingerprint "
                    + fingerprint.substring(0, Math.min(12, fingerprint.length())) + ", this source is " + facts.shortFingerprint()
                    + "); convert this source into it with restart, or verify against the right source");
        }
        if (!Kms55Schema.STATE_FINISHED.equals(state)) {
            return failedRecord("the target holds an unfinished conversion of this source (state " + state
                    + "); run kms:convert again to resume and finish it");
        }
        String strategy = Sql.queryString(target, "SELECT STRATEGY FROM KMS55.KMS_CONVERSION WHERE ID = 1");
        for (String phase : Kms55Schema.phasesOf(strategy)) {
            Long recorded = Sql.queryLong(target, Kms55Schema.PHASE_DONE, phase);
            if (recorded == null || recorded == 0) {
                return failedRecord("the conversion record says FINISHED, but its phase " + phase
                        + " is not recorded in KMS55.KMS_CONVERSION_PHASE; convert again with restart");
            }
        }
        List<Kms55Schema.Key> missingKeys = Kms55Schema.missingKeys(target);
        if (!missingKeys.isEmpty()) {
            return failedRecord("the conversion record says FINISHED, but the target lacks the keys "
                    + String.join(", ", missingKeys.stream().map(Kms55Schema.Key::name).toList())
                    + " that its KEYS phase adds; convert again with restart");
        }
        return new InvariantResult(Invariant.CONVERSION_RECORD, InvariantResult.Status.PASSED, 1, 1,
                "a finished conversion of this source (fingerprint " + facts.shortFingerprint() + ")", List.of(), 0);
    }

    private static InvariantResult failedRecord(String detail) {
        return new InvariantResult(Invariant.CONVERSION_RECORD, InvariantResult.Status.FAILED, 1, 0, detail, List.of(), 1);
    }

    /** The streamed comparison and its counters. */
    private static final class Pass {
        private static final DateTimeFormatter UTC_SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

        private final Connection source;
        private final Connection target;
        private final Differences userCount;
        private final Differences certCount;
        private final Differences keyCount;
        private final Differences revocationCount;
        private final Differences revocationSet;
        private final Differences rows;
        private long sourceUsers, targetUsers;
        private long sourceCerts, targetCerts;
        private long sourceKeys, targetKeys;
        private long crlSerials, revokedInTarget, unmatchedInTarget, expectedRevoked;
        private long matchingRevocations;
        private long sourceRows, equalRows;
        private final AtomicLong rowsStreamed = new AtomicLong();
        private final Connection lookups;
        private final Connection keySource;
        /** Causes are KMS Gate's own words only in a target KMS Gate wrote (the record is checked). */
        private final boolean strictCauses;
        private final Progress progress;

        Pass(Connection source, Connection target, Connection lookups, Connection keySource, int limit, Progress progress,
             boolean strictCauses) {
            this.strictCauses = strictCauses;
            this.keySource = keySource;
            this.progress = progress;
            this.source = source;
            this.target = target;
            this.lookups = lookups;
            this.userCount = new Differences(limit);
            this.certCount = new Differences(limit);
            this.keyCount = new Differences(limit);
            this.revocationCount = new Differences(limit);
            this.revocationSet = new Differences(limit);
            this.rows = new Differences(limit);
        }

        void users() throws SQLException {
            try (ReadAhead<Rows.User> s = stream("kms-verify-source-users", source, Kms50Schema.USERS_ALL, "KMS50.KM_USER");
                 ReadAhead<Rows.User> t = stream("kms-verify-target-users", target, Kms55Schema.USERS_IN_ORDER, "KMS55.USERS")) {
                Rows.User su = next(s);
                Rows.User tu = next(t);
                while (su != null || tu != null) {
                    int key = su == null ? tu.userId() : tu == null ? su.userId() : Math.min(su.userId(), tu.userId());
                    Rows.User sRow = su != null && su.userId() == key ? su : null;
                    Rows.User tRow = tu != null && tu.userId() == key ? tu : null;
                    user(key, sRow, tRow);
                    if (sRow != null) {
                        su = next(s);
                    }
                    if (tRow != null) {
                        tu = next(t);
                    }
                }
            }
        }

        private ReadAhead<Rows.User> stream(String thread, Connection connection, String sql, String table) {
            Calendar calendar = Sql.utc();
            return new ReadAhead<>(thread, READ_BATCH, READ_DEPTH, sink -> {
                try (PreparedStatement query = connection.prepareStatement(sql);
                     OrderedCursor<Rows.User, Integer> cursor = OrderedCursor.open(table, query, rs -> Rows.user(rs, calendar), Rows.User::userId, true)) {
                    for (Rows.User row = cursor.take(); row != null; row = cursor.take()) {
                        sink.accept(row);
                    }
                    rowsStreamed.addAndGet(cursor.rows());
                }
            });
        }

        private void user(int key, Rows.User su, Rows.User tu) {
            if (su != null) {
                sourceUsers++;
                sourceRows++;
                progress.advance(1);
            }
            if (tu != null) {
                targetUsers++;
            }
            if (su != null && tu == null) {
                userCount.add("user " + key + ": in KM_USER, missing from USERS");
                rows.add("user " + key + ": missing from USERS");
            } else if (su == null) {
                userCount.add("user " + key + ": in USERS, not in KM_USER");
                rows.add("user " + key + ": in USERS but not in KM_USER");
            } else {
                String column = su.firstDifference(tu);
                if (column == null) {
                    equalRows++;
                } else {
                    rows.add("user " + key + ": " + column + " differs");
                }
            }
        }

        /**
         * The serial space: a reader thread merges the three source tables into one group per
         * serial, another merges the five target tables, and this thread compares the groups.
         */
        void serials() throws SQLException {
            try (ReadAhead<Rows.Cert> c = new ReadAhead<>("kms-verify-source-certificates", READ_BATCH, READ_DEPTH, this::sourceCertificates);
                 ReadAhead<KeyAndRevocation> s = new ReadAhead<>("kms-verify-source-keys", READ_BATCH, READ_DEPTH, this::sourceKeysAndRevocations);
                 ReadAhead<TargetSerial> t = new ReadAhead<>("kms-verify-target-serials", READ_BATCH, READ_DEPTH, this::targetSerials);
                 PreparedStatement userExists = lookups.prepareStatement(Kms50Schema.USER_EXISTS)) {
                Rows.Cert cg = next(c);
                KeyAndRevocation sg = next(s);
                TargetSerial tg = next(t);
                while (cg != null || sg != null || tg != null) {
                    String serial = OrderedCursor.smallest(cg == null ? null : cg.serial(), sg == null ? null : sg.serial(), tg == null ? null : tg.serial());
                    Rows.Cert cRow = cg != null && cg.serial().equals(serial) ? cg : null;
                    KeyAndRevocation sRow = sg != null && sg.serial().equals(serial) ? sg : null;
                    TargetSerial tRow = tg != null && tg.serial().equals(serial) ? tg : null;
                    serial(serial, cRow, sRow == null ? null : sRow.key(), sRow == null ? null : sRow.revocation(),
                            tRow == null ? null : tRow.active(), tRow == null ? null : tRow.quarantined(), tRow == null ? null : tRow.key(),
                            tRow == null ? null : tRow.quarantinedKey(), tRow == null ? null : tRow.unmatched(), userExists);
                    if (cRow != null) {
                        cg = next(c);
                    }
                    if (sRow != null) {
                        sg = next(s);
                    }
                    if (tRow != null) {
                        tg = next(t);
                    }
                }
            }
        }

        /** One serial's rows in the target. */
        private record TargetSerial(String serial, Rows.ActiveCert active, Rows.QuarantinedCert quarantined, Rows.Key key,
                                    Rows.QuarantinedKey quarantinedKey, Rows.Revocation unmatched) {
        }

        private void sourceCertificates(ReadAhead.Sink<Rows.Cert> sink) throws SQLException, InterruptedException {
            Calendar calendar = Sql.utc();
            try (PreparedStatement sc = source.prepareStatement(Kms50Schema.CERTS_FROM)) {
                sc.setString(1, "");
                try (OrderedCursor<Rows.Cert, String> certs = OrderedCursor.open("KMS50.KM_CERT", sc, rs -> Rows.cert(rs, calendar), Rows.Cert::serial, true)) {
                    for (Rows.Cert cert = certs.take(); cert != null; cert = certs.take()) {
                        sink.accept(cert);
                    }
                    rowsStreamed.addAndGet(certs.rows());
                }
            }
        }

        private void sourceKeysAndRevocations(ReadAhead.Sink<KeyAndRevocation> sink) throws SQLException, InterruptedException {
            rowsStreamed.addAndGet(KeyAndRevocation.stream(keySource, "", sink));
        }

        private void targetSerials(ReadAhead.Sink<TargetSerial> sink) throws SQLException, InterruptedException {
            Calendar calendar = Sql.utc();
            try (PreparedStatement tc = target.prepareStatement(Kms55Schema.CERTS_IN_ORDER);
                 PreparedStatement tq = target.prepareStatement(Kms55Schema.QUARANTINED_CERTS_IN_ORDER);
                 PreparedStatement tk = target.prepareStatement(Kms55Schema.KEYS_IN_ORDER);
                 PreparedStatement tqk = target.prepareStatement(Kms55Schema.QUARANTINED_KEYS_IN_ORDER);
                 PreparedStatement tu = target.prepareStatement(Kms55Schema.UNMATCHED_IN_ORDER);
                 OrderedCursor<Rows.ActiveCert, String> active = OrderedCursor.open("KMS55.CERTIFICATES", tc,
                         rs -> Rows.activeCert(rs, calendar), r -> r.cert().serial(), true);
                 OrderedCursor<Rows.QuarantinedCert, String> quarantined = OrderedCursor.open("KMS55.QUARANTINED_CERT", tq,
                         rs -> Rows.quarantinedCert(rs, calendar), r -> r.cert().serial(), true);
                 OrderedCursor<Rows.Key, String> keys = OrderedCursor.open("KMS55.KEY_ARCHIVE", tk, Rows::key, Rows.Key::serial, true);
                 OrderedCursor<Rows.QuarantinedKey, String> quarantinedKeys = OrderedCursor.open("KMS55.QUARANTINED_KEY", tqk,
                         Rows::quarantinedKey, r -> r.key().serial(), true);
                 OrderedCursor<Rows.Revocation, String> unmatched = OrderedCursor.open("KMS55.UNMATCHED_REVOCATION", tu,
                         rs -> Rows.revocation(rs, calendar), Rows.Revocation::serial, true)) {
                for (String serial = OrderedCursor.smallest(active.peekKey(), quarantined.peekKey(), keys.peekKey(), quarantinedKeys.peekKey(), unmatched.peekKey());
                     serial != null;
                     serial = OrderedCursor.smallest(active.peekKey(), quarantined.peekKey(), keys.peekKey(), quarantinedKeys.peekKey(), unmatched.peekKey())) {
                    sink.accept(new TargetSerial(serial, active.takeIf(serial), quarantined.takeIf(serial), keys.takeIf(serial),
                            quarantinedKeys.takeIf(serial), unmatched.takeIf(serial)));
                }
                rowsStreamed.addAndGet(active.rows() + quarantined.rows() + keys.rows() + quarantinedKeys.rows() + unmatched.rows());
            }
        }

        private static <T> T next(ReadAhead<T> stream) throws SQLException {
            return stream.nextRow(() -> new KmsUsageException(Messages.VERIFICATION_INTERRUPTED));
        }

        private void serial(String serial, Rows.Cert sc, Rows.Key sk, Rows.Revocation sr, Rows.ActiveCert tc,
                            Rows.QuarantinedCert tq, Rows.Key tk, Rows.QuarantinedKey tqk, Rows.Revocation tu,
                            PreparedStatement userExists) throws SQLException {
            progress.advance((sc != null ? 1 : 0) + (sk != null ? 1 : 0));
            // invariants 2 and 6: every certificate once, equal in every column
            if (sc != null) {
                sourceCerts++;
                sourceRows++;
            }
            targetCerts += (tc != null ? 1 : 0) + (tq != null ? 1 : 0);
            if (sc != null && tc == null && tq == null) {
                certCount.add("serial " + serial + ": in KM_CERT, missing from CERTIFICATES and QUARANTINED_CERT");
                rows.add("serial " + serial + ": certificate missing from the target");
            } else if (sc == null && (tc != null || tq != null)) {
                certCount.add("serial " + serial + ": in " + (tc != null ? "CERTIFICATES" : "QUARANTINED_CERT") + ", not in KM_CERT");
                rows.add("serial " + serial + ": certificate in the target but not in KM_CERT");
            } else if (sc != null) {
                if (tc != null && tq != null) {
                    certCount.add("serial " + serial + ": in both CERTIFICATES and QUARANTINED_CERT");
                    rows.add("serial " + serial + ": certificate converted twice");
                } else {
                    String column = sc.firstDifference(tc != null ? tc.cert() : tq.cert());
                    String wrongQuarantine = tq == null ? null
                            : userExists(userExists, sc.userId()) ? "quarantined as " + tq.cause() + " although user " + sc.userId() + " exists"
                            : strictCauses && !Kms55Schema.CAUSE_UNKNOWN_USER.equals(tq.cause())
                            ? "QUARANTINED_CERT.CAUSE is '" + tq.cause() + "', but user " + sc.userId() + " is unknown: expected " + Kms55Schema.CAUSE_UNKNOWN_USER
                            : null;
                    if (column != null) {
                        rows.add("serial " + serial + ": " + column + " differs in " + (tc != null ? "CERTIFICATES" : "QUARANTINED_CERT"));
                    } else if (wrongQuarantine != null) {
                        rows.add("serial " + serial + ": " + wrongQuarantine);
                    } else {
                        equalRows++;
                    }
                }
            }

            // invariants 3 and 6: every key once, byte for byte (never shown)
            if (sk != null) {
                sourceKeys++;
                sourceRows++;
            }
            targetKeys += (tk != null ? 1 : 0) + (tqk != null ? 1 : 0);
            if (sk != null && tk == null && tqk == null) {
                keyCount.add("serial " + serial + ": in KM_KEY, missing from KEY_ARCHIVE and QUARANTINED_KEY");
                rows.add("serial " + serial + ": key missing from the target");
            } else if (sk == null && (tk != null || tqk != null)) {
                keyCount.add("serial " + serial + ": in " + (tk != null ? "KEY_ARCHIVE" : "QUARANTINED_KEY") + ", not in KM_KEY");
                rows.add("serial " + serial + ": key in the target but not in KM_KEY");
            } else if (sk != null) {
                if (tk != null && tqk != null) {
                    keyCount.add("serial " + serial + ": in both KEY_ARCHIVE and QUARANTINED_KEY");
                    rows.add("serial " + serial + ": key converted twice");
                } else if (!sk.equals(tk != null ? tk : tqk.key())) {
                    rows.add("serial " + serial + ": WRAPPED_KEY differs in " + (tk != null ? "KEY_ARCHIVE" : "QUARANTINED_KEY"));
                } else if (tqk != null && tc != null) {
                    rows.add("serial " + serial + ": key quarantined as " + tqk.cause() + " although its certificate was converted");
                } else if (tqk != null && strictCauses && !tqk.cause().equals(sc == null ? Kms55Schema.CAUSE_NO_CERTIFICATE : Kms55Schema.CAUSE_CERTIFICATE_QUARANTINED)) {
                    rows.add("serial " + serial + ": QUARANTINED_KEY.CAUSE is '" + tqk.cause() + "', expected "
                            + (sc == null ? Kms55Schema.CAUSE_NO_CERTIFICATE : Kms55Schema.CAUSE_CERTIFICATE_QUARANTINED));
                } else {
                    equalRows++;
                }
            }

            // invariants 4 and 5: revocations
            if (sr != null) {
                crlSerials++;
                if (tc != null) {
                    expectedRevoked++;
                }
            }
            boolean revokedHere = tc != null && "R".equals(tc.status());
            if (revokedHere) {
                revokedInTarget++;
            }
            if (tu != null) {
                unmatchedInTarget++;
            }
            if (sr != null) {
                if (tc != null) {
                    if (!revokedHere) {
                        revocationSet.add("serial " + serial + ": on the CRL (" + describe(sr) + ") but STATUS is " + tc.status());
                    } else if (!Objects.equals(tc.revokedAt(), sr.revokedAt()) || !Objects.equals(tc.revocationReason(), sr.reason())) {
                        revocationSet.add("serial " + serial + ": revoked " + describe(tc.revokedAt(), tc.revocationReason())
                                + ", but the effective revocation is " + describe(sr));
                    } else if (tu != null) {
                        revocationSet.add("serial " + serial + ": revoked and also in UNMATCHED_REVOCATION");
                    } else {
                        matchingRevocations++;
                    }
                } else if (tu == null) {
                    revocationSet.add("serial " + serial + ": on the CRL (" + describe(sr) + ") but neither revoked nor in UNMATCHED_REVOCATION");
                } else if (!Objects.equals(tu.revokedAt(), sr.revokedAt()) || tu.reason() != sr.reason()) {
                    revocationSet.add("serial " + serial + ": UNMATCHED_REVOCATION has " + describe(tu) + ", but the effective revocation is " + describe(sr));
                } else {
                    matchingRevocations++;
                }
            } else {
                if (revokedHere) {
                    revocationSet.add("serial " + serial + ": STATUS is R but the serial is not on the CRL");
                }
                if (tu != null) {
                    revocationSet.add("serial " + serial + ": in UNMATCHED_REVOCATION but not on the CRL");
                }
            }
            if (tc != null && "V".equals(tc.status()) && (tc.revokedAt() != null || tc.revocationReason() != null)) {
                revocationSet.add("serial " + serial + ": STATUS is V but REVOKED_AT or REVOCATION_REASON is set");
            }
            if (tc != null && !"V".equals(tc.status()) && !"R".equals(tc.status())) {
                revocationSet.add("serial " + serial + ": STATUS is '" + tc.status() + "', neither V nor R");
            }
        }

        private boolean userExists(PreparedStatement lookup, int userId) throws SQLException {
            lookup.setInt(1, userId);
            try (ResultSet rs = lookup.executeQuery()) {
                return rs.next();
            }
        }

        List<InvariantResult> results() {
            List<InvariantResult> results = new ArrayList<>();
            results.add(count(Invariant.USER_COUNT, sourceUsers, targetUsers, userCount, "users"));
            results.add(count(Invariant.CERTIFICATE_COUNT, sourceCerts, targetCerts, certCount, "certificates"));
            results.add(count(Invariant.KEY_COUNT, sourceKeys, targetKeys, keyCount, "keys"));
            long actual = revokedInTarget + unmatchedInTarget;
            boolean countsHold = crlSerials == actual && expectedRevoked == revokedInTarget;
            String detail = String.format(Locale.ROOT, "%,d distinct CRL serials; target has %,d revoked + %,d unmatched = %,d; "
                    + "%,d CRL serials name a converted certificate, %,d are revoked", crlSerials, revokedInTarget, unmatchedInTarget,
                    actual, expectedRevoked, revokedInTarget);
            if (!countsHold && revocationCount.total() == 0) {
                revocationSet.first().forEach(revocationCount::add);
            }
            results.add(new InvariantResult(Invariant.REVOCATION_COUNT, countsHold ? InvariantResult.Status.PASSED : InvariantResult.Status.FAILED,
                    crlSerials, actual, detail, countsHold ? List.of() : revocationCount.first(), countsHold ? 0 : Math.max(1, revocationCount.total())));
            boolean setHolds = revocationSet.total() == 0;
            results.add(new InvariantResult(Invariant.REVOCATION_SET, setHolds ? InvariantResult.Status.PASSED : InvariantResult.Status.FAILED,
                    crlSerials, matchingRevocations,
                    String.format(Locale.ROOT, "%,d of %,d revoked serials carry their effective revocation%s", matchingRevocations, crlSerials,
                            setHolds ? "" : "; " + differences(revocationSet.total())),
                    revocationSet.first(), revocationSet.total()));
            boolean rowsHold = rows.total() == 0;
            results.add(new InvariantResult(Invariant.ROW_EQUALITY, rowsHold ? InvariantResult.Status.PASSED : InvariantResult.Status.FAILED,
                    sourceRows, equalRows,
                    String.format(Locale.ROOT, "%,d of %,d source rows have an equal target row%s", equalRows, sourceRows,
                            rowsHold ? "" : "; " + differences(rows.total())),
                    rows.first(), rows.total()));
            return results;
        }

        private static String differences(long count) {
            return String.format(Locale.ROOT, count == 1 ? "%,d difference" : "%,d differences", count);
        }

        private static InvariantResult count(Invariant invariant, long expected, long actual, Differences differences, String what) {
            boolean holds = expected == actual && differences.total() == 0;
            String detail = holds
                    ? String.format(Locale.ROOT, "%,d %s in source and target", expected, what)
                    : String.format(Locale.ROOT, "source has %,d %s, target has %,d", expected, what, actual);
            return new InvariantResult(invariant, holds ? InvariantResult.Status.PASSED : InvariantResult.Status.FAILED,
                    expected, actual, detail, differences.first(), differences.total());
        }

        private static String describe(Rows.Revocation revocation) {
            return describe(revocation.revokedAt(), revocation.reason());
        }

        private static String describe(Timestamp at, Short reason) {
            return "at " + utcText(at) + " UTC, reason " + reason;
        }

        /** UTC wall-clock time in {@link Timestamp#toString()}'s layout, whatever the JVM's zone. */
        private static String utcText(Timestamp at) {
            if (at == null) {
                return "null";
            }
            String nanos = at.getNanos() == 0 ? "0" : String.format(Locale.ROOT, "%09d", at.getNanos()).replaceFirst("0+$", "");
            return UTC_SECONDS.format(at.toInstant()) + "." + nanos;
        }
    }
}
