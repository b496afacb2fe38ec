package dev.kmsgate.kms.mutants;

import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.store.CapacityGuard;
import dev.kmsgate.kms.store.Credentials;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Databases;
import dev.kmsgate.kms.store.Lease;
import dev.kmsgate.kms.store.Sql;
import dev.kmsgate.kms.store.TransactionLedger;
import dev.kmsgate.kms.verify.Invariant;
import dev.kmsgate.kms.verify.InvariantResult;
import dev.kmsgate.kms.verify.VerificationReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Verification as an outside team meets it: each {@link Mutant} converter writes its own target
 * (created by itself, in memory, through the capacity guard) from one shared dirty source, and
 * verification without the conversion record fails it with exactly the invariants its bug breaks,
 * naming the bug; the same converter with no bug passes, with and without the format's
 * constraints, and resumed after a stop.
 *
 * <p>The source is {@link Fixtures#DIRTY} (duplicate CRL rows earlier, later and at the same time
 * with another reason; CRL rows of unknown serials; certificates of deleted users; orphan keys;
 * NULL display names) with one display name that has edge spaces and non-ASCII letters.
 */
class MutantConvertersTest {

    private static final int CAPACITY = 7;
    /** Mid-way through the certificates (13 commits at capacity 7), for the mutants that stop there. */
    private static final int CERTIFICATE_COMMITS_BEFORE_THE_STOP = 4;

    @TempDir
    static Path shared;
    private static DatabaseAddress source;

    @TempDir
    Path dir;
    private DatabaseAddress target;
    private final TransactionLedger ledger = new TransactionLedger();

    /** Keeps the source booted across the suite: each conversion and verification would boot it again. */
    private static Lease sourceLease;

    @BeforeAll
    static void dirtySource() throws SQLException {
        source = Fixtures.generate(shared, Fixtures.DIRTY);
        try (Connection c = Fixtures.open(source)) {
            Sql.update(c, "UPDATE KMS50.KM_USER SET DISPLAY_NAME = ' Zoë Ångström ' WHERE USER_ID = (SELECT MIN(USER_ID) FROM KMS50.KM_USER)");
            c.commit();
        }
        sourceLease = Database.of(source).lease();
    }

    @AfterAll
    static void shutdownSource() {
        sourceLease.close();
        Fixtures.shutdown(source);
    }

    @AfterEach
    void dropTarget() {
        if (target != null) {
            Databases.drop(target, Credentials.NONE);
        }
    }

    @ParameterizedTest
    @EnumSource(Mutant.class)
    void verificationFailsEachMutantWithTheInvariantsItsBugBreaks(Mutant mutant) throws SQLException {
        VerificationReport report = convertAndVerify(mutant, !mutant.needsLenientSchema(), mutant.needsResume());

        Set<Invariant> failed = report.failures().stream().map(InvariantResult::invariant)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Invariant.class)));
        assertEquals(mutant.failing(), failed, () -> mutant + " (" + mutant.bug() + "): " + describe(report));
        InvariantResult named = report.result(mutant.named());
        assertTrue(named.differences().stream().anyMatch(d -> d.contains(mutant.difference())),
                () -> mutant + ": no difference of " + mutant.named().label() + " contains '" + mutant.difference() + "': " + named.describe());
        assertTrue(ledger.largestTransaction() <= CAPACITY, ledger::toString);
    }

    @Test
    void theSameConverterWithoutItsBugPassesOnTheFormatsSchema() throws SQLException {
        VerificationReport report = convertAndVerify(null, true, false);

        assertTrue(report.passed(), () -> describe(report));
        assertEquals(List.of(), report.undeclaredConstraints());
    }

    @Test
    void theSameConverterWithoutItsBugPassesOnASchemaWithoutConstraintsWhichIsReported() throws SQLException {
        VerificationReport report = convertAndVerify(null, false, false);

        assertTrue(report.passed(), () -> describe(report));
        List<String> undeclared = report.undeclaredConstraints();
        assertEquals(38, undeclared.size(), undeclared::toString);
        assertEquals(List.of("USERS_PK (PRIMARY KEY (USER_ID))", "CERTIFICATES_PK (PRIMARY KEY (SERIAL))"), undeclared.subList(0, 2));
        assertEquals("CERTIFICATES_USER_FK (FOREIGN KEY (USER_ID) REFERENCES KMS55.USERS (USER_ID))", undeclared.get(6));
        assertEquals("KEY_ARCHIVE_CERT_FK (FOREIGN KEY (SERIAL) REFERENCES KMS55.CERTIFICATES (SERIAL))", undeclared.get(7));
        assertEquals(List.of("NOT NULL USERS.USER_ID", "NOT NULL USERS.MAILBOX_DN", "NOT NULL USERS.ENROLLED_AT"), undeclared.subList(8, 11));
        assertEquals("NOT NULL UNMATCHED_REVOCATION.REASON", undeclared.get(36));
        assertEquals("CHECK on CERTIFICATES (STATUS is V or R, REVOKED_AT and REVOCATION_REASON set exactly when R)", undeclared.get(37));
    }

    @Test
    void theSameConverterWithoutItsBugPassesWhenStoppedAndResumed() throws SQLException {
        VerificationReport report = convertAndVerify(null, false, true);

        assertTrue(report.passed(), () -> describe(report));
    }

    private VerificationReport convertAndVerify(Mutant mutant, boolean constraints, boolean stopAndResume) throws SQLException {
        String name = "mutant-" + (mutant == null ? "none-" + constraints + "-" + stopAndResume : mutant.name());
        target = DatabaseAddress.parse("target", "jdbc:derby:memory:" + name, dir);
        if (stopAndResume) {
            String phase = mutant == null ? "certificates" : mutant.stopPhase();
            int commits = phase.equals("certificates") ? CERTIFICATE_COMMITS_BEFORE_THE_STOP : 1;
            assertThrows(MutantConverter.Stopped.class, () -> run(new MutantConverter(mutant, constraints, phase, commits)));
        }
        run(new MutantConverter(mutant, constraints, null, -1));
        return Fixtures.verifyData(source, target);
    }

    private void run(MutantConverter converter) throws SQLException {
        try (Connection from = Databases.openReadOnly(source, Credentials.NONE);
             Connection to = CapacityGuard.guard(Databases.openOrCreate(target, Credentials.NONE), CAPACITY, ledger)) {
            try {
                converter.convert(from, to, CAPACITY);
            } finally {
                from.rollback();
            }
        }
    }

    private static String describe(VerificationReport report) {
        return report.results().stream().map(InvariantResult::describe).collect(Collectors.joining("\n  ", "\n  ", ""));
    }
}
