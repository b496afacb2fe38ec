package dev.kmsgate.kms.robust;

import dev.kmsgate.kms.KmsUsageException;
import org.junit.jupiter.api.function.Executable;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Asserts what a user sees of a user error: the exact sentence, one or two of them, one line. */
final class UserErrors {

    private static final Pattern SENTENCE_END = Pattern.compile("[.?!](\\s|$)");

    private UserErrors() {
    }

    /** Runs the action, expects a {@link KmsUsageException} with exactly {@code expected}, and returns it. */
    static KmsUsageException assertUserError(String expected, Executable action) {
        KmsUsageException error = assertThrows(KmsUsageException.class, action);
        assertEquals(expected, error.getMessage());
        assertReadable(error.getMessage());
        return error;
    }

    /** One or two sentences on one line, with no exception class name or stack frame in it. */
    static void assertReadable(String message) {
        assertFalse(message.contains("\n"), () -> "more than one line: " + message);
        assertFalse(message.matches("(?s).*\\b\\w+(Exception|Error)\\b.*"), () -> "names an exception class: " + message);
        assertFalse(message.contains("\tat "), () -> "holds a stack frame: " + message);
        int sentences = 0;
        Matcher end = SENTENCE_END.matcher(message);
        while (end.find()) {
            sentences++;
        }
        int count = sentences;
        assertTrue(count >= 1 && count <= 2, () -> count + " sentences: " + message);
    }
}
