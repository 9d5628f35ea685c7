package io.github.fastgn.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.LogManager;

/**
 * The java.util.logging configuration of every FastGN module's tests, named by the
 * {@code java.util.logging.config.class} system property in the surefire configuration of
 * {@code lib/pom.xml}: no handler on the root logger, levels as by default (INFO).
 *
 * <p>The JDK default is a {@code ConsoleHandler} on the root logger, which binds
 * {@code System.err} once, when it is created: a WARNING logged by the library (the convergence
 * warning, for example) then reached stderr, and {@link QuietTestBase} failed or not depending on
 * which test happened to log first. Records are still created and reach any handler a test adds
 * to capture them ({@code Logger.getLogger(...).addHandler}).
 */
public final class TestLogging {

    /** Called by the LogManager when it initialises; replaces the default configuration. */
    public TestLogging() {
        String config = "handlers=\n.level=INFO\n";
        try {
            LogManager.getLogManager().readConfiguration(
                    new ByteArrayInputStream(config.getBytes(StandardCharsets.ISO_8859_1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
