package dev.kmsgate.kms.convert;

import dev.kmsgate.kms.api.KmsConverter;
import dev.kmsgate.kms.store.GuardedDriver;

import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads a user's converter from the project's classes, test classes and dependencies, isolated
 * from the plugin's own libraries (Derby, BouncyCastle, Jackson never leak into the project's
 * code, nor the project's into the plugin's). Two things always come from the plugin: the API
 * package {@code dev.kmsgate.kms.api}, whatever version the project compiled against, so the
 * converter's {@link KmsConverter} is the plugin's; and the {@link GuardedDriver}, so that
 * {@link java.sql.DriverManager} hands the project's code the guarded connections of a
 * {@code targetUrl()}.
 */
final class ConverterClassLoader extends URLClassLoader {

    private static final String API_PACKAGE = KmsConverter.class.getPackageName() + ".";
    private static final String DRIVER = GuardedDriver.class.getName();

    private final ClassLoader plugin;

    /**
     * @param classpath the project's output directories and dependency jars, in class path order
     */
    public ConverterClassLoader(List<Path> classpath) {
        super("kms-gate-converter", urls(classpath), ClassLoader.getPlatformClassLoader());
        this.plugin = ConverterClassLoader.class.getClassLoader();
    }

    private static URL[] urls(List<Path> classpath) {
        URL[] urls = new URL[classpath.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = classpath.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new UncheckedIOException("Not a class path element: " + classpath.get(i), e);
            }
        }
        return urls;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith(API_PACKAGE) || name.equals(DRIVER)) {
            return plugin.loadClass(name);
        }
        return super.loadClass(name, resolve);
    }
}
