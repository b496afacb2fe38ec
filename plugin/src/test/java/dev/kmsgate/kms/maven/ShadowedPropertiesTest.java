package dev.kmsgate.kms.maven;

import dev.kmsgate.kms.Messages;
import org.codehaus.plexus.util.xml.Xpp3Dom;
import org.codehaus.plexus.util.xml.Xpp3DomBuilder;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A -Dkms.* property that a POM value shadows is named, with the fix; one the goal takes is not. */
class ShadowedPropertiesTest {

    // the shape Maven hands a goal: POM values, and ${...} expressions with defaults for the rest
    private static final String CONFIGURATION = "<configuration>"
            + "<transactionCapacity default-value=\"1000\">250</transactionCapacity>"
            + "<strategy default-value=\"chunked\">${kms.strategy}</strategy>"
            + "<source>${kms.dir}/heavy-kms50</source>"
            + "<cases><case><name>x</name></case></cases>"
            + "</configuration>";

    private static List<String> warnings(String... properties) throws Exception {
        Xpp3Dom configuration = Xpp3DomBuilder.build(new StringReader(CONFIGURATION));
        Properties user = new Properties();
        for (int i = 0; i < properties.length; i += 2) {
            user.setProperty(properties[i], properties[i + 1]);
        }
        return ShadowedProperties.warnings(configuration, user);
    }

    @Test
    void aUserPropertyThatThePomOverridesIsNamedWithBothValuesAndTheFix() throws Exception {
        assertEquals(List.of(Messages.format(Messages.PROPERTY_SHADOWED_BY_POM, "transactionCapacity", "37", "250")),
                warnings("kms.transactionCapacity", "37"));
        assertEquals("-Dkms.transactionCapacity=37 is ignored: the POM configures <transactionCapacity>250</transactionCapacity> for "
                + "this goal, and a POM value beats a user property. To let -D set it, move the value to the POM's <properties> as "
                + "<kms.transactionCapacity>250</kms.transactionCapacity>.", warnings("kms.transactionCapacity", "37").get(0));
    }

    @Test
    void propertiesTheGoalTakesOrThatAgreeWithThePomAreNotWarnedAbout() throws Exception {
        assertEquals(List.of(), warnings("kms.transactionCapacity", "250", "kms.strategy", "single-transaction",
                "kms.cases", "y", "kms.threads", "4"));
        // a POM value built from another property still shadows this one
        assertEquals(List.of(Messages.format(Messages.PROPERTY_SHADOWED_BY_POM, "source", "/elsewhere", "${kms.dir}/heavy-kms50")),
                warnings("kms.source", "/elsewhere"));
    }
}
