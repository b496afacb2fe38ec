package dev.kmsgate.kms.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.kmsgate.kms.gate.GateReport;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.DatabaseAddress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;

/**
 * The one JSON form of the gate's records, with Jackson databind: the gate's result
 * ({@link GateReport}, which the log table, the JUnit XML, the JSON summary and the HTML page are
 * all rendered from), and the job a goal hands to the gate's own JVM. The records map as they are;
 * three types need a rule: a {@link Duration} is its nanoseconds, an {@link Instant} its ISO-8601
 * text, and a {@link Database} its JDBC URL alone, so a record never holds a credential (the gate's
 * databases take none; a user's own case source is opened read-only, without one).
 *
 * <p>Public for the fork and the verdict store, which carry records across JVMs and builds; not an API.
 */
public final class RecordJson {

    /** Configured once; thread-safe once configured, as Jackson documents. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new SimpleModule("kms-gate")
                    .addSerializer(Duration.class, new ToLong<>(Duration::toNanos))
                    .addDeserializer(Duration.class, new FromLong<>(Duration::ofNanos))
                    .addSerializer(Instant.class, new ToText<>(Instant::toString))
                    .addDeserializer(Instant.class, new FromText<>(Instant::parse))
                    .addSerializer(Database.class, new ToText<>(database -> database.address().url()))
                    .addDeserializer(Database.class, new FromText<>(url -> Database.of(DatabaseAddress.parse("source", url, Path.of(""))))))
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private RecordJson() {
    }

    /** The record as one line of JSON. */
    public static String write(Object record) {
        try {
            return MAPPER.writeValueAsString(record);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + record.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** A record {@link #write} wrote. */
    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("Not the JSON of a " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** Writes a record to a file whole or not at all: into a file beside it, then moved over it in one step. */
    public static void writeFile(Path file, Object record) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path partial = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".partial");
            try {
                MAPPER.writerWithDefaultPrettyPrinter().writeValue(partial.toFile(), record);
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /** A record {@link #writeFile} wrote. */
    public static <T> T readFile(Path file, Class<T> type) {
        try {
            return MAPPER.readValue(file.toFile(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private interface Mapping<A, B> {
        B apply(A value);
    }

    private static final class ToLong<T> extends JsonSerializer<T> {
        private final Mapping<T, Long> mapping;

        ToLong(Mapping<T, Long> mapping) {
            this.mapping = mapping;
        }

        @Override
        public void serialize(T value, JsonGenerator json, SerializerProvider provider) throws IOException {
            json.writeNumber(mapping.apply(value));
        }
    }

    private static final class FromLong<T> extends JsonDeserializer<T> {
        private final Mapping<Long, T> mapping;

        FromLong(Mapping<Long, T> mapping) {
            this.mapping = mapping;
        }

        @Override
        public T deserialize(JsonParser json, DeserializationContext context) throws IOException {
            return mapping.apply(json.getLongValue());
        }
    }

    private static final class ToText<T> extends JsonSerializer<T> {
        private final Mapping<T, String> mapping;

        ToText(Mapping<T, String> mapping) {
            this.mapping = mapping;
        }

        @Override
        public void serialize(T value, JsonGenerator json, SerializerProvider provider) throws IOException {
            json.writeString(mapping.apply(value));
        }
    }

    private static final class FromText<T> extends JsonDeserializer<T> {
        private final Mapping<String, T> mapping;

        FromText(Mapping<String, T> mapping) {
            this.mapping = mapping;
        }

        @Override
        public T deserialize(JsonParser json, DeserializationContext context) throws IOException {
            return mapping.apply(json.getValueAsString());
        }
    }
}
