package io.github.fastgn.testing;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The silence check itself must be able to fail. */
class QuietTestBaseTest {

    private static final class Probe extends QuietTestBase {
    }

    @Test
    void writingToStdoutFailsTheTest() {
        PrintStream before = System.out;
        Probe probe = new Probe();
        probe.captureStandardStreams();
        System.out.print("noise");
        AssertionFailedError e = assertThrows(AssertionFailedError.class, probe::failOnOutput);
        assertTrue(e.getMessage().contains("System.out: noise"), e.getMessage());
        assertSame(before, System.out, "the original stream must be restored");
    }

    @Test
    void writingToStderrFromAnotherThreadFailsTheTest() throws InterruptedException {
        PrintStream before = System.err;
        Probe probe = new Probe();
        probe.captureStandardStreams();
        Thread t = new Thread(() -> System.err.println("worker noise"));
        t.start();
        t.join();
        AssertionFailedError e = assertThrows(AssertionFailedError.class, probe::failOnOutput);
        assertTrue(e.getMessage().contains("System.err: worker noise"), e.getMessage());
        assertSame(before, System.err);
    }

    @Test
    void silencePasses() {
        Probe probe = new Probe();
        probe.captureStandardStreams();
        assertDoesNotThrow(probe::failOnOutput);
    }
}
