package dev.kmsgate.kms.convert;

import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.api.KmsConverter;
import dev.kmsgate.kms.spi.TeamConverter;
import dev.kmsgate.kms.store.GuardedDriver;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The project's classes come from its own class path; the API and the guarded driver always from the plugin; nothing else leaks. */
class ConverterClassLoaderTest {

    private static Path testClasses() throws Exception {
        return Path.of(TeamConverter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void theProjectsClassesAreItsOwnWhileTheApiAndTheGuardedDriverAreThePlugins() throws Exception {
        try (ConverterClassLoader loader = new ConverterClassLoader(List.of(testClasses()))) {
            Class<?> team = Class.forName(TeamConverter.class.getName(), false, loader);
            assertSame(loader, team.getClassLoader());
            assertNotSame(TeamConverter.class, team);
            assertTrue(KmsConverter.class.isAssignableFrom(team), "the converter's KmsConverter is the plugin's");
            assertSame(KmsConverter.class, Class.forName(KmsConverter.class.getName(), false, loader));
            assertSame(GuardedDriver.class, Class.forName(GuardedDriver.class.getName(), false, loader));
            // the project's copy of a plugin class outside the API is its own, and the plugin's libraries are not visible
            assertSame(loader, Class.forName(Fixtures.class.getName(), false, loader).getClassLoader());
            String derby = org.apache.derby.drda.NetworkServerControl.class.getName();
            assertThrows(ClassNotFoundException.class, () -> Class.forName(derby, false, loader));
            assertEquals("kms-gate-converter", loader.getName());
            assertEquals(TeamConverter.class.getName(), ForeignConverter.load(TeamConverter.class.getName(), loader).className());
        }
    }

    @Test
    void aClassOutsideTheGivenClassPathIsNotFound() throws Exception {
        try (ConverterClassLoader loader = new ConverterClassLoader(List.of())) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(TeamConverter.class.getName(), false, loader));
            assertSame(String.class, Class.forName("java.lang.String", false, loader));
        }
    }
}
