package io.github.fastgn.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Base class of the FastGN tests, in the style of EJML's {@code EjmlStandardJUnit}: the library
 * must stay silent, so any test (or library code it calls, on any thread) that writes to
 * {@code System.out} or {@code System.err} fails. Random data come from seeded generators only.
 */
public abstract class QuietTestBase {

    private PrintStream savedOut;
    private PrintStream savedErr;
    private ByteArrayOutputStream capturedOut;
    private ByteArrayOutputStream capturedErr;

    @BeforeEach
    protected final void captureStandardStreams() {
        savedOut = System.out;
        savedErr = System.err;
        capturedOut = new ByteArrayOutputStream();
        capturedErr = new ByteArrayOutputStream();
        System.setOut(new PrintStream(capturedOut, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(capturedErr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    protected final void failOnOutput() {
        System.out.flush();
        System.err.flush();
        System.setOut(savedOut);
        System.setErr(savedErr);
        String out = capturedOut.toString(StandardCharsets.UTF_8);
        String err = capturedErr.toString(StandardCharsets.UTF_8);
        if (!out.isEmpty() || !err.isEmpty()) {
            fail("the test wrote to the standard streams (the library must stay silent):"
                    + (out.isEmpty() ? "" : "\nSystem.out: " + abbreviate(out))
                    + (err.isEmpty() ? "" : "\nSystem.err: " + abbreviate(err)));
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 500 ? s : s.substring(0, 500) + "...";
    }
}
