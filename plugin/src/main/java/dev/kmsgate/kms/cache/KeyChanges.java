package dev.kmsgate.kms.cache;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Says in one line what changed between the inputs of the last stored verdict and this build's, as
 * Gradle says why a task is out of date: {@code the converter's classes changed:
 * com/example/kms/ReleaseUpgrade.class}, {@code transactionCapacity 1,000 -> 37}.
 */
final class KeyChanges {

    /** Kinds in the order a change is named: what a developer most likely touched first. */
    private static final List<String> ORDER = List.of(VerdictKey.CLASS, VerdictKey.JAR, VerdictKey.SOURCE, VerdictKey.PARAMETER,
            VerdictKey.PROPERTY, VerdictKey.JAVA, VerdictKey.VERSION, VerdictKey.PLUGIN_JAR, VerdictKey.FORMAT_INPUT);
    /** Names listed per kind before {@code and N more}. */
    private static final int NAMES_SHOWN = 3;

    private KeyChanges() {
    }

    /** What changed, one clause per kind of input, joined with {@code ; }; empty when nothing did. */
    public static String describe(Map<String, String> before, Map<String, String> now) {
        Set<String> names = new TreeSet<>(before.keySet());
        names.addAll(now.keySet());
        Map<String, List<String>> byKind = new LinkedHashMap<>();
        ORDER.forEach(kind -> byKind.put(kind, new ArrayList<>()));
        for (String name : names) {
            String was = before.get(name);
            String is = now.get(name);
            if (was != null && was.equals(is)) {
                continue;
            }
            String kind = ORDER.stream().filter(name::startsWith).findFirst().orElse(VerdictKey.FORMAT_INPUT);
            byKind.get(kind).add(name);
        }
        List<String> clauses = new ArrayList<>();
        for (Map.Entry<String, List<String>> kind : byKind.entrySet()) {
            if (!kind.getValue().isEmpty()) {
                clauses.add(clause(kind.getKey(), kind.getValue(), before, now));
            }
        }
        return String.join("; ", clauses);
    }

    private static String clause(String kind, List<String> names, Map<String, String> before, Map<String, String> now) {
        return switch (kind) {
            case VerdictKey.CLASS -> "the converter's classes changed: " + list(names, name -> name.substring(name.indexOf('!') + 1)
                    + suffix(before, now, name));
            case VerdictKey.JAR -> "the converter's class path changed: " + list(names, name -> name.substring(kind.length())
                    + suffix(before, now, name));
            case VerdictKey.SOURCE -> list(names, name -> "case " + name.substring(kind.length())) + "'s source changed";
            case VerdictKey.PARAMETER -> list(names, name -> name.substring(kind.length()) + " " + value(before.get(name)) + " -> "
                    + value(now.get(name)));
            case VerdictKey.PROPERTY -> "the -D properties the converter sees changed: " + list(names, name -> "-D"
                    + name.substring(kind.length()) + suffix(before, now, name));
            case VerdictKey.JAVA -> "the Java runtime " + value(before.get(VerdictKey.JAVA)) + " -> " + value(now.get(VerdictKey.JAVA));
            case VerdictKey.VERSION -> "KMS Gate " + value(before.get(VerdictKey.VERSION)) + " -> " + value(now.get(VerdictKey.VERSION));
            case VerdictKey.PLUGIN_JAR -> "KMS Gate's jars changed: " + list(names, name -> name.substring(kind.length())
                    + suffix(before, now, name));
            default -> "the key's format changed";
        };
    }

    /** {@code  (added)} or {@code  (removed)} for a name only one side has. */
    private static String suffix(Map<String, String> before, Map<String, String> now, String name) {
        return !before.containsKey(name) ? " (added)" : !now.containsKey(name) ? " (removed)" : "";
    }

    /** A parameter's value as a person reads it: numbers grouped, absent ones as {@code (unset)}, long ones cut. */
    private static String value(String value) {
        if (value == null || value.isEmpty() || value.equals("null")) {
            return "(unset)";
        }
        if (value.matches("-?\\d{1,18}")) {
            return String.format(Locale.ROOT, "%,d", Long.parseLong(value));
        }
        String plain = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
        return plain.length() <= 80 ? plain : plain.substring(0, 77) + "...";
    }

    private static String list(List<String> names, Function<String, String> show) {
        List<String> shown = names.stream().limit(NAMES_SHOWN).map(show).toList();
        String text = String.join(", ", shown);
        return names.size() > NAMES_SHOWN ? text + String.format(Locale.ROOT, " and %,d more", names.size() - NAMES_SHOWN) : text;
    }
}
