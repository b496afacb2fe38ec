package dev.kmsgate.kms.maven;

import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.Parameters;
import org.codehaus.plexus.util.xml.Xpp3Dom;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Finds the {@code -Dkms.<name>} user properties that a goal ignores because the POM configures
 * that parameter with a value of its own: in Maven a POM {@code <configuration>} value beats a
 * user property, which surprises anyone who expects one {@code -D} to set a parameter everywhere.
 */
final class ShadowedProperties {

    private ShadowedProperties() {
    }

    /**
     * One warning per shadowed property.
     *
     * @param configuration the execution's merged configuration (POM values and parameter defaults)
     * @param userProperties the session's {@code -D} properties
     */
    static List<String> warnings(Xpp3Dom configuration, Properties userProperties) {
        List<String> warnings = new ArrayList<>();
        if (configuration == null) {
            return warnings;
        }
        for (Xpp3Dom child : configuration.getChildren()) {
            String given = userProperties.getProperty(Parameters.PROPERTY_PREFIX + child.getName());
            String configured = child.getValue();
            if (given == null || configured == null || child.getChildCount() > 0
                    || configured.contains("${" + Parameters.PROPERTY_PREFIX + child.getName() + "}")) {
                continue; // not given, not a plain value, or the property reaches it through its expression
            }
            if (!configured.trim().equals(given.trim())) {
                warnings.add(Messages.format(Messages.PROPERTY_SHADOWED_BY_POM, child.getName(), given.trim(), configured.trim()));
            }
        }
        return warnings;
    }
}
