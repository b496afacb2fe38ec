package dev.kmsgate.kms.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.jr.ob.JSON;
import com.fasterxml.jackson.jr.ob.api.ReaderWriterProvider;
import com.fasterxml.jackson.jr.ob.api.ValueReader;
import com.fasterxml.jackson.jr.ob.api.ValueWriter;
import com.fasterxml.jackson.jr.ob.impl.JSONReader;
import com.fasterxml.jackson.jr.ob.impl.JSONWriter;
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
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The one JSON form of the gate's records, with jackson-jr: the gate's result ({@link GateReport},
 * which the log table, the JUnit XML, the JSON summary and the HTML page are all rendered from),
 * and the job a goal hands to the gate's own JVM. The records map as they are (jackson-jr reads a
 * record through its canonical constructor); four types need a rule: a {@link Duration} is its
 * nanoseconds, an {@link Instant} its ISO-8601 text, a {@link Path} its text, and a {@link Database}
 * its JDBC URL alone, so a record never holds a credential (the gate's databases take none; a
 * user's own case source is opened read-only, without one). jackson-jr rather than databind: a
 * reused verdict reads a record in a cold JVM, where databind's start-up was most of its cost
 * (docs/performance.md, eighth round).
 *
 * <p>Public for the fork, the gate's job, and the verdict store, which carry records across JVMs
 * and builds; not an API.
 */
public final class RecordJson {

    /** Configured once; jackson-jr's {@code JSON} is immutable and thread-safe. */
    private static final JSON JSON_FORM = JSON.std.with(new Types()).with(JSON.Feature.WRITE_NULL_PROPERTIES, true);
    private static final JSON PRETTY = JSON_FORM.with(JSON.Feature.PRETTY_PRINT_OUTPUT, true);

    private RecordJson() {
    }

    /** The record as one line of JSON. */
    public static String write(Object record) {
        try {
            return JSON_FORM.asString(record);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + (record == null ? "null" : record.getClass().getSimpleName()) + " as JSON", e);
        }
    }

    /** A record {@link #write} wrote. */
    public static <T> T read(String json, Class<T> type) {
        try {
            return JSON_FORM.beanFrom(type, json);
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException("Not the JSON of a " + type.getSimpleName() + ": " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    /**
     * Each top-level field of a record by name, in name order, as the JSON text of its value
     * ({@code 1000}, {@code "chunked"}, {@code null}, {@code [...]}): its canonical form, field by field.
     */
    public static SortedMap<String, String> fields(Object record) {
        try {
            SortedMap<String, String> fields = new TreeMap<>();
            for (Map.Entry<String, Object> field : JSON_FORM.mapFrom(JSON_FORM.asString(record)).entrySet()) {
                fields.put(field.getKey(), JSON_FORM.asString(field.getValue()));
            }
            return fields;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + record.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** The record a field of a JSON file holds, or null when the file or the field holds none. */
    public static <T> T readField(Path file, String field, Class<T> type) {
        try {
            Object value = JSON_FORM.mapFrom(file.toFile()).get(field);
            return value == null ? null : JSON_FORM.beanFrom(type, JSON_FORM.asString(value));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Writes a record to a file whole or not at all: into a file beside it, then moved over it in one step. */
    public static void writeFile(Path file, Object record) {
        try {
            Path directory = file.toAbsolutePath().getParent();
            Files.createDirectories(directory);
            Path partial = Files.createTempFile(directory, file.getFileName().toString(), ".partial");
            try {
                Files.writeString(partial, PRETTY.asString(record));
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
            return JSON_FORM.beanFrom(type, Files.readString(file));
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e instanceof IOException io ? io : new IOException(e));
        }
    }

    /** The four types that are not records, lists, strings, numbers or enums. */
    private static final class Types extends ReaderWriterProvider {

        @Override
        public ValueReader findValueReader(JSONReader reader, Class<?> type) {
            if (type == Duration.class) {
                return new Reader(type, p -> Duration.ofNanos(p.getLongValue()));
            }
            if (type == Instant.class) {
                return new Reader(type, p -> Instant.parse(p.getText()));
            }
            if (type == Path.class) {
                return new Reader(type, p -> Path.of(p.getText()));
            }
            if (type == Database.class) {
                return new Reader(type, p -> Database.of(DatabaseAddress.parse("source", p.getText(), Path.of(""))));
            }
            return null;
        }

        @Override
        public ValueWriter findValueWriter(JSONWriter writer, Class<?> type) {
            if (type == Duration.class) {
                return new Writer(type, (g, value) -> g.writeNumber(((Duration) value).toNanos()));
            }
            if (type == Instant.class) {
                return new Writer(type, (g, value) -> g.writeString(value.toString()));
            }
            if (Path.class.isAssignableFrom(type)) {
                return new Writer(type, (g, value) -> g.writeString(value.toString()));
            }
            if (type == Database.class) {
                return new Writer(type, (g, value) -> g.writeString(((Database) value).address().url()));
            }
            return null;
        }
    }

    private interface Parse {
        Object from(JsonParser parser) throws IOException;
    }

    private interface Generate {
        void to(JsonGenerator generator, Object value) throws IOException;
    }

    private static final class Reader extends ValueReader {
        private final Parse parse;

        Reader(Class<?> type, Parse parse) {
            super(type);
            this.parse = parse;
        }

        @Override
        public Object read(JSONReader reader, JsonParser parser) throws IOException {
            return parser.currentToken() == JsonToken.VALUE_NULL ? null : parse.from(parser);
        }
    }

    private static final class Writer implements ValueWriter {
        private final Class<?> type;
        private final Generate generate;

        Writer(Class<?> type, Generate generate) {
            this.type = type;
            this.generate = generate;
        }

        @Override
        public void writeValue(JSONWriter context, JsonGenerator generator, Object value) throws IOException {
            generate.to(generator, value);
        }

        @Override
        public Class<?> valueType() {
            return type;
        }
    }
}
