package dev.kmsgate.kms.gate;

import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.convert.ConversionResult;
import dev.kmsgate.kms.convert.ConversionSettings;
import dev.kmsgate.kms.convert.Converter;
import dev.kmsgate.kms.convert.ForeignConverter;

import java.util.function.Function;

/**
 * The converter the gate judges: KMS Gate's own, or one of the user's. A user's converter keeps no
 * conversion record, so its targets are verified on the data invariants alone.
 *
 * <p>Public for fork, whose job names the converter the gate judges; not an API.
 */
public interface ConverterUnderTest {

    /** The name reports show: {@link #BUILT_IN} or the user's class name. */
    String name();

    /** Whether it is KMS Gate's own converter, which the gate runs with a strategy. */
    default boolean isBuiltIn() {
        return false;
    }

    /** Whether its targets record their conversion (invariant 7 applies). */
    boolean recordsConversion();

    /** Converts under the settings' capacity, into the settings' ledger; a defect is a {@link dev.kmsgate.kms.KmsDefectException}. */
    ConversionResult convert(ConversionSettings settings);

    /** How reports name KMS Gate's own converter. */
    String BUILT_IN = "KMS Gate (built-in)";

    /** KMS Gate's own converter. */
    static ConverterUnderTest builtIn() {
        return builtIn(settings -> new Converter(KmsLog.silent()).convert(settings));
    }

    /** KMS Gate's own converter, or a stand-in for it in tests of the gate. */
    static ConverterUnderTest builtIn(Function<ConversionSettings, ConversionResult> converter) {
        return new ConverterUnderTest() {
            @Override public String name() { return BUILT_IN; }
            @Override public boolean isBuiltIn() { return true; }
            @Override public boolean recordsConversion() { return true; }
            @Override public ConversionResult convert(ConversionSettings settings) { return converter.apply(settings); }
        };
    }

    /** A converter of the user's own, its {@code context.log} lines unseen. */
    static ConverterUnderTest of(ForeignConverter converter) {
        return of(converter, KmsLog.silent());
    }

    /**
     * A converter of the user's own, its {@code context.log} lines on the build log, each after the
     * name of the target it converts ({@code [10C-chunked] }), since the gate runs several at once.
     */
    static ConverterUnderTest of(ForeignConverter converter, KmsLog buildLog) {
        return new ConverterUnderTest() {
            @Override public String name() { return converter.className(); }
            @Override public boolean recordsConversion() { return false; }
            @Override public ConversionResult convert(ConversionSettings settings) {
                String prefix = "[" + settings.target().address().directory().map(d -> d.getFileName().toString())
                        .orElse(settings.target().display()) + "] ";
                return converter.convert(settings, KmsLog.silent(), KmsLog.prefixed(buildLog, prefix));
            }
        };
    }
}
