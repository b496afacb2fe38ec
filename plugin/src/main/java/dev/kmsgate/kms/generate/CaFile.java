package dev.kmsgate.kms.generate;

import dev.kmsgate.kms.store.DatabaseAddress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * The issuing CA's certificate, kept beside a directory database as {@code <directory>.ca.pem}
 * (for {@code target/kms/kms50}: {@code target/kms/kms50.ca.pem}), PEM-encoded, so that
 * {@code openssl verify -CAfile}, {@code keytool} or a PKIX validator can check every certificate
 * of the database. Inside the database directory it would be a stranger to Derby; in the
 * {@code KMS50} schema it would be a table the format does not name. A database that is no
 * directory ({@code memory:}, Network Server) gets no file: the CA depends on the seed alone.
 */
final class CaFile {

    static final String SUFFIX = ".ca.pem";

    private CaFile() {
    }

    /** Where the CA certificate of a database is kept, if it is a directory database. */
    static Optional<Path> of(DatabaseAddress database) {
        return database.directory().map(dir -> dir.resolveSibling(dir.getFileName() + SUFFIX));
    }

    /** Writes the CA certificate beside the database, unless the same bytes are already there. */
    static void write(DatabaseAddress database, CertificateFactory certificates) {
        Optional<Path> file = of(database);
        if (file.isEmpty()) {
            return;
        }
        byte[] pem = pem(certificates.caCertificate());
        try {
            if (Files.isRegularFile(file.get()) && Arrays.equals(pem, Files.readAllBytes(file.get()))) {
                return;
            }
            Files.createDirectories(file.get().getParent());
            Files.write(file.get(), pem);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the CA certificate of " + database.display() + " to " + file.get(), e);
        }
    }

    /** RFC 7468 text encoding: Base64 in lines of 64 characters between the CERTIFICATE labels. */
    static byte[] pem(byte[] der) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return ("-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n").getBytes(StandardCharsets.US_ASCII);
    }
}
