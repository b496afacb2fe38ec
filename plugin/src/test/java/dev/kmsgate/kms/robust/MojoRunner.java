package dev.kmsgate.kms.robust;

import org.apache.maven.model.Build;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a goal in-process as Maven would after configuring it: every parameter set (as Maven sets
 * defaults and -D values), a project with a base and build directory, the user's settings.xml
 * servers, and a log that records every line at debug level (what {@code mvn -X} shows of the
 * goal), throwables' stack traces included.
 */
final class MojoRunner {

    /** A Maven log at debug level that keeps every line, with the stack trace of any throwable logged. */
    static final class RecordingLog implements Log {
        final List<String> lines = new ArrayList<>();

        private void add(String level, CharSequence content, Throwable error) {
            lines.add("[" + level + "] " + (content == null ? "" : content));
            if (error != null) {
                lines.add(stackTrace(error));
            }
        }

        @Override public boolean isDebugEnabled() { return true; }
        @Override public void debug(CharSequence content) { add("DEBUG", content, null); }
        @Override public void debug(CharSequence content, Throwable error) { add("DEBUG", content, error); }
        @Override public void debug(Throwable error) { add("DEBUG", null, error); }
        @Override public boolean isInfoEnabled() { return true; }
        @Override public void info(CharSequence content) { add("INFO", content, null); }
        @Override public void info(CharSequence content, Throwable error) { add("INFO", content, error); }
        @Override public void info(Throwable error) { add("INFO", null, error); }
        @Override public boolean isWarnEnabled() { return true; }
        @Override public void warn(CharSequence content) { add("WARNING", content, null); }
        @Override public void warn(CharSequence content, Throwable error) { add("WARNING", content, error); }
        @Override public void warn(Throwable error) { add("WARNING", null, error); }
        @Override public boolean isErrorEnabled() { return true; }
        @Override public void error(CharSequence content) { add("ERROR", content, null); }
        @Override public void error(CharSequence content, Throwable error) { add("ERROR", content, error); }
        @Override public void error(Throwable error) { add("ERROR", null, error); }
    }

    private MojoRunner() {
    }

    /** A goal configured with {@code parameters} (field name to value), for a project in {@code basedir}. */
    static <T extends AbstractMojo> T configure(T mojo, Path basedir, Log log, Map<String, Object> parameters, Server... servers) {
        MavenProject project = new MavenProject();
        project.setFile(basedir.resolve("pom.xml").toFile());
        Build build = new Build();
        build.setDirectory(basedir.resolve("target").toString());
        project.getModel().setBuild(build);
        Settings settings = new Settings();
        for (Server server : servers) {
            settings.addServer(server);
        }
        set(mojo, "project", project);
        set(mojo, "settings", settings);
        parameters.forEach((name, value) -> set(mojo, name, value));
        mojo.setLog(log);
        return mojo;
    }

    static Server server(String id, String user, String password, String passphrase) {
        Server server = new Server();
        server.setId(id);
        server.setUsername(user);
        server.setPassword(password);
        server.setPassphrase(passphrase);
        return server;
    }

    private static void set(Object target, String name, Object value) {
        for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
            try {
                Field field = type.getDeclaredField(name);
                field.setAccessible(true);
                field.set(target, value);
                return;
            } catch (NoSuchFieldException e) {
                // look in the superclass
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalArgumentException(target.getClass().getSimpleName() + " has no parameter " + name);
    }

    /** What {@code mvn -e} prints for a failed goal: the whole chain, causes and suppressed included. */
    static String stackTrace(Throwable error) {
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
