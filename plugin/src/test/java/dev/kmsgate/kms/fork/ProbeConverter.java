package dev.kmsgate.kms.fork;

import dev.kmsgate.kms.api.ConversionContext;
import dev.kmsgate.kms.spi.TeamConverter;

/** A team's correct converter that also logs a system property its build set with {@code -D}, and its JVM's largest heap. */
public class ProbeConverter extends TeamConverter {

    static final String PROPERTY = "kms.fork.probe";

    @Override
    public void convert(ConversionContext context) throws Exception {
        context.log("ProbeConverter: " + PROPERTY + " is " + System.getProperty(PROPERTY));
        context.log("ProbeConverter: max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        super.convert(context);
    }
}
