package dev.kmsgate.kms.robust;

import dev.kmsgate.kms.KmsDefectException;
import dev.kmsgate.kms.KmsException;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.convert.ConversionResult;
import dev.kmsgate.kms.convert.ConversionSettings;
import dev.kmsgate.kms.convert.Converter;
import dev.kmsgate.kms.convert.Strategy;
import dev.kmsgate.kms.store.Credentials;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Databases;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The conversion as a child process, for the kill harness: {@code ConvertMain <source> <target>
 * <capacity>}. It logs every committed chunk as a progress line (progress interval zero) and
 * flushes each line, so a parent can kill it after a chosen number of commits. Prints
 * {@value #DONE} and the outcome when it finishes; exits 2 on a usage error, 3 on a defect, 4 on
 * anything else.
 */
public final class ConvertMain {

    static final String PROGRESS = "PROGRESS ";
    static final String DONE = "DONE ";
    static final String FAILED = "FAILED ";

    private ConvertMain() {
    }

    public static void main(String[] args) {
        Path base = Path.of(".").toAbsolutePath();
        DatabaseAddress source = DatabaseAddress.parse("source", args[0], base);
        DatabaseAddress target = DatabaseAddress.parse("target", args[1], base);
        int capacity = Integer.parseInt(args[2]);
        KmsLog log = new KmsLog() {
            @Override public void info(String message) { print(message.startsWith("convert ") ? PROGRESS + message : message); }
            @Override public void warn(String message) { print(message); }
            @Override public void debug(String message) { }
        };
        int status = 0;
        try {
            ConversionResult result = new Converter(log).convert(new ConversionSettings(Database.of(source), Database.of(target),
                    capacity, Strategy.CHUNKED, false, null, Duration.ZERO));
            print(DONE + result.outcome());
        } catch (KmsDefectException e) {
            print(FAILED + e.getMessage());
            status = 3;
        } catch (KmsException e) {
            print(FAILED + e.getMessage());
            status = 2;
        } catch (RuntimeException e) {
            e.printStackTrace();
            status = 4;
        } finally {
            Databases.shutdown(source, Credentials.NONE);
            Databases.shutdown(target, Credentials.NONE);
        }
        System.exit(status);
    }

    private static synchronized void print(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
