package dev.kmsgate.kms;

import java.util.Locale;

/**
 * Every user-facing message, as a format constant, so that unit tests and invoker
 * {@code verify.groovy} scripts assert the very same text. Each says what is wrong and what to do.
 *
 * <p>Public for every package that speaks to the user, whose texts are all kept here; not an API.
 */
public final class Messages {

    // --- configuration -------------------------------------------------------------------------
    public static final String CAPACITY_TOO_SMALL =
            "<transactionCapacity> is %d, but must be at least 1. Set it to the number of row changes one transaction of the target store can hold (default "
            + Parameters.DEFAULT_TRANSACTION_CAPACITY + ").";
    public static final String UNKNOWN_STRATEGY =
            "<strategy> is '%s', but must be one of: %s. Use 'chunked' (the default) to convert; 'single-transaction' only reproduces the KB Q193567 defect.";
    public static final String PARAMETER_REQUIRED =
            "<%s> is not set. Set it to a directory (embedded Derby) or a jdbc:derby: URL.";
    public static final String SERVER_NOT_IN_SETTINGS =
            "<%sServerId> is '%s', but settings.xml has no <server> with that id. Add one with the database's <username>, <password> and (for an encrypted database) <passphrase>.";
    public static final String SERVER_NOT_DECRYPTABLE =
            "Cannot decrypt the credentials of server '%s' in settings.xml: %s. Check settings-security.xml, or store them unencrypted.";
    public static final String LARGE_MULTIPLE_TOO_SMALL =
            "<largeMultiple> is %d, but must be at least 3 so that the large case lies beyond 2C+1.";
    public static final String LARGE_CASE_TOO_LARGE =
            "<largeMultiple> %d times <transactionCapacity> %d is %,d revocations for the large boundary case, but a generated case holds at most %,d (as many users as revocations, two certificates each). Lower <largeMultiple> or <transactionCapacity>.";
    public static final String REPORTS_DIRECTORY_UNUSABLE =
            "<reportsDirectory> is %s, where the gate cannot write its reports (%s). Point -Dkms.reportsDirectory at a directory this build may write, or remove what is in the way.";
    public static final String CACHE_SIZE_LIMIT_TOO_SMALL =
            "<cacheSizeLimit> is %d, but must be at least 1 (megabytes). Set the most disk KMS Gate's store may take (default %d).";
    public static final String CACHE_DIRECTORY_UNUSABLE =
            "<cacheDirectory> is %s, where KMS Gate cannot keep its store (%s). Point -Dkms.cacheDirectory at a directory this build may write.";

    // --- the verdict store -----------------------------------------------------------------------
    public static final String VERDICT_NOT_STORED_YET =
            "No proven verdict is stored for this project yet: the gate runs.";
    public static final String VERDICT_INPUTS_CHANGED =
            "The gate runs, because %s.";
    public static final String VERDICT_GONE =
            "The gate runs: the verdict stored for this key is no longer in the store (evicted or removed).";
    public static final String VERDICT_RERUN =
            "The gate runs: rerun is set (-Dkms.rerun), so no stored verdict is reused.";
    public static final String VERDICT_UNKEYABLE =
            "The gate runs, and its verdict cannot be reused: %s.";
    public static final String VERDICT_RECORD_UNREADABLE =
            "The gate passed, but its result record could not be read back (%s), so its verdict is not stored; the next build runs the gate again.";
    public static final String RESUME_TRIALS_NEGATIVE =
            "<resumeTrials> is %d, but must be 0 (no resume trials) or more.";
    public static final String SHARD_INVALID =
            "<shard> is '%s', but must be K/N with 1 <= K <= N, e.g. 2/3 for the second of three shares of the cases. Run every K from 1 to N, one per CI agent: together they run the whole gate.";
    public static final String PROPERTY_SHADOWED_BY_POM =
            "-Dkms.%1$s=%2$s is ignored: the POM configures <%1$s>%3$s</%1$s> for this goal, and a POM value beats a user property. To let -D set it, move the value to the POM's <properties> as <kms.%1$s>%3$s</kms.%1$s>.";
    public static final String GATE_INTERRUPTED =
            "The gate was interrupted while running case %s. Run it again: cases start over on fresh targets.";
    public static final String MISMATCH_LIMIT_TOO_SMALL =
            "<mismatchLimit> is %d, but must be at least 1.";
    public static final String PROFILE_NEGATIVE =
            "<%s> is %d, but must be 0 or more.";
    public static final String PROFILE_TOO_MANY_REVOKED =
            "<revoked> is %d, but a profile with %d users has only %d certificates to revoke (2 per user). Lower <revoked> or raise <users>.";
    public static final String PROFILE_DUPLICATES_WITHOUT_REVOKED =
            "<duplicateRevocations> is %d, but <revoked> is 0: duplicates repeat revoked serials. Set <revoked> to at least 1.";
    public static final String PROFILE_TOO_LARGE =
            "The profile asks for %d certificates, but at most %d are supported. Lower <users> or <orphanCertificates>.";

    // --- addressing ----------------------------------------------------------------------------
    public static final String URL_NOT_DERBY =
            "<%s> is '%s', which is neither a directory nor a jdbc:derby: URL. Give a directory path or a URL such as jdbc:derby://localhost:1527/kms.";
    public static final String URL_HAS_SECRET =
            "<%s> carries a '%s' attribute in clear. Remove it and put the secret in settings.xml (a <server> named by <%s>) or in the environment variable %s.";
    public static final String URL_HAS_LIFECYCLE_ATTRIBUTE =
            "<%s> carries the Derby attribute '%s'. Remove it: KMS Gate creates, boots and shuts down databases itself.";
    public static final String DATABASE_MISSING =
            "<%s> names %s, but there is no database there. Check the path, or run kms:generate first to build a legacy database.";
    public static final String NOT_A_DERBY_DATABASE =
            "<%s> names %s, which exists but is not a Derby database (no service.properties). Point it at a Derby database directory.";
    public static final String DATABASE_LOCKED =
            "The database %s is in use by another process, which holds %s (Derby XSDB6). Stop that process (an ij session, a server, another build converting it) or let it finish, and run again.";
    public static final String WRONG_BOOT_PASSWORD =
            "The database %s is encrypted and the boot password was missing or wrong. Put the right one in settings.xml (the <passphrase> of the <server> that <%s> names) or in the environment variable %s.";
    public static final String AUTHENTICATION_FAILED =
            "The database %s refused the user name or password. Put the right ones in settings.xml (the <server> that <%s> names) or in the environment variables %s and %s.";
    public static final String SERVER_UNREACHABLE =
            "Cannot reach the Derby Network Server for %s. Start it, or check the host and port.";
    public static final String TARGET_NOT_WRITABLE =
            "<target> names %s, which cannot be written (%s). Choose a location the build may write to.";
    public static final String TARGET_IS_READ_ONLY_ARCHIVE =
            "<target> names %s, a read-only database. A target must be writable: give a directory or a writable jdbc:derby: URL.";
    public static final String DISK_FULL =
            "The target %s ran out of disk space (or hit a quota or file-size limit) during the conversion; every chunk committed so far is kept. Free space on that file system and run kms:convert again: it resumes where it stopped.";
    public static final String CONVERSION_INTERRUPTED =
            "The conversion into %s was stopped by Ctrl-C or a termination signal after a committed chunk; nothing is lost. Run kms:convert again: it resumes where it stopped.";
    public static final String CANNOT_OPEN =
            "Cannot open the database %s: %s (SQLState %s).";

    // --- formats -------------------------------------------------------------------------------
    public static final String SOURCE_NOT_KMS50 =
            "<source> %s is not a legacy KMS 5.0 database: schema KMS50 lacks %s. Point <source> at a KMS50 database (kms:generate builds one).";
    public static final String SOURCE_IS_KMS55 =
            "<source> %s is a KMS 5.5 database, not a legacy KMS 5.0 one. Did you swap <source> and <target>?";
    public static final String TARGET_IS_KMS50 =
            "<target> %s holds legacy KMS50 tables. Choose an empty or new location for the converted database.";
    public static final String TARGET_NOT_OURS =
            "<target> %s holds a KMS55 schema that KMS Gate did not write (no KMS55.KMS_CONVERSION). Choose an empty location, or remove that schema first.";
    public static final String TARGET_OTHER_SOURCE =
            "<target> %s holds a conversion of another source (fingerprint %s, this source is %s). Choose another target, or set <restart>true</restart> (-Dkms.restart) to discard it and start over.";
    public static final String TARGET_ALREADY_FINISHED =
            "<target> %s already holds a finished conversion of this source (finished %s); it is left unchanged. Set <restart>true</restart> (-Dkms.restart) to convert it again.";
    public static final String TARGET_OTHER_STRATEGY =
            "<target> %s holds an unfinished '%s' conversion, but <strategy> is '%s'. Resume it with strategy '%s', or set <restart>true</restart> (-Dkms.restart) to start over.";
    public static final String TARGET_HAS_OTHER_TABLES =
            "<target> %s is a database with tables of its own (%s). Choose an empty or new location for the converted database.";
    public static final String TARGET_NOT_KMS55 =
            "<target> %s is not a KMS 5.5 database written by KMS Gate (no KMS55.KMS_CONVERSION table). Run kms:convert first, or set <checkConversionRecord>false</checkConversionRecord> to verify a target written by another converter.";
    public static final String CONVERSION_RUNNING =
            "Another conversion is running into %s right now. Wait for it to finish; two converters must never write one target.";
    public static final String GENERATE_OTHER_PROFILE =
            "<database> %s was generated from another profile (%s), not this one (%s). Set <overwrite>true</overwrite> (-Dkms.overwrite) to replace it, or choose another <database>.";
    public static final String GENERATE_TARGET_EXISTS =
            "<database> %s already exists and was not generated from this profile. Set <overwrite>true</overwrite> (-Dkms.overwrite) to replace it, or choose another <database>.";

    public static final String CONVERSION_THREAD_INTERRUPTED =
            "The conversion was interrupted. Everything committed so far is kept; run kms:convert again to resume where it stopped.";

    public static final String UNDECLARED_CONSTRAINTS =
            "The target's schema does not declare %d of the format's keys and constraints (verification checks each on the data): %s";
    public static final String VERIFICATION_INTERRUPTED =
            "Verification was interrupted before it compared every row. Nothing was written; run kms:verify again.";

    // --- a converter of the user's own ----------------------------------------------------------
    public static final String CONVERTER_NOT_FOUND =
            "<converter> is '%s', but no class of that name is in the project's classes, test classes or their dependencies. Check the fully qualified name and that the class is compiled before this goal runs.";
    public static final String CONVERTER_NOT_A_CONVERTER =
            "<converter> is '%s', but that class does not implement dev.kmsgate.kms.api.KmsConverter. Implement it (artifact dev.kmsgate:kms-gate-api, scope provided).";
    public static final String CONVERTER_NO_CONSTRUCTOR =
            "<converter> is '%s', but that class has no public no-argument constructor. Add one: KMS Gate creates a new instance for every conversion.";
    public static final String CONVERTER_NOT_INSTANTIABLE =
            "<converter> is '%s', but creating an instance failed: %s. Fix its constructor or static initialiser.";
    public static final String CASE_SOURCE_WITH_PROFILE =
            "<case> %s has a <source> and generation counts or a seed. Give either <source> (an existing KMS50 database) or the counts, not both.";
    public static final String ARCHIVE_WITHOUT_DATABASE =
            "<%s> names %s, a zip archive with no Derby database in it (no service.properties). Zip the database directory itself.";
    public static final String CONVERTER_AROUND_GUARD =
            "The converter %s opened a connection to the target around the capacity guard (a driver and URL of its own), and the gate's target refused it (SQLState %s: it accepts no connection but KMS Gate's). Write only through context.target() or connections of context.targetUrl(): the guard counts nothing else.";
    public static final String CONVERTER_FAILED =
            "The converter %s failed: %s";
    public static final String CONVERTER_ABORTED =
            "Conversion by %s aborted under the transaction capacity: one transaction reached %d row changes, but the target accepts at most %d (<transactionCapacity>). Commit in chunks of at most %d row changes.";
    public static final String CONVERTER_BYPASSED_GUARD =
            "the target holds %,d rows, but the capacity guard counted only %,d row changes: rows reached it through a connection the guard did not see (another driver, a trigger). Write only through context.target() or connections of context.targetUrl().";

    // --- the gate's own JVM (kms:regression with fork) -----------------------------------------------
    public static final String ARG_LINE_UNBALANCED_QUOTES =
            "<argLine> is '%s', but a quote in it is not closed. Close each \" or ' that opens, e.g. -Dname=\"a b\" for an option holding a space (-Dkms.argLine sets it too).";
    public static final String FORK_NOT_STARTED =
            "Cannot start the gate's JVM (%s): %s. Check the Java that runs Maven, or run the gate in Maven's own JVM with -Dkms.fork=false.";
    public static final String FORK_ENDED =
            "The gate's JVM exited with status %d before the gate finished; what it printed is above. Check <argLine> ('%s', -Dkms.argLine), or run the gate in Maven's own JVM with -Dkms.fork=false.";
    public static final String FORK_INTERRUPTED =
            "The build was interrupted while the gate ran in its own JVM, which has been stopped. Run it again: cases start over on fresh targets.";
    public static final String FORK_CRASHED =
            "The gate failed in its own JVM with %s. Its stack trace there:%n%s";

    // --- defects -------------------------------------------------------------------------------
    public static final String CAPACITY_EXCEEDED =
            "Transaction capacity exceeded: a transaction reached %d row changes, but the target accepts at most %d (transactionCapacity); it was rolled back.";
    public static final String CONVERSION_ABORTED =
            "Conversion aborted under the transaction capacity: one transaction reached %d row changes, but the target accepts at most %d (<transactionCapacity>). This is the KB Q193567 defect of strategy '%s'; use strategy 'chunked', which commits at most %d row changes at a time.";
    public static final String VERIFICATION_FAILED =
            "Verification of %s against %s failed: %d of %d invariants do not hold.";

    private Messages() {
    }

    /** Formats with a fixed locale, so numbers never depend on the machine. */
    public static String format(String template, Object... args) {
        return String.format(Locale.ROOT, template, args);
    }
}
