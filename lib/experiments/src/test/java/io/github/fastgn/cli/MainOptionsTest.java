package io.github.fastgn.cli;

import io.github.fastgn.testing.QuietTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Option values and data files of the train command: user errors name the option and the expected form. */
class MainOptionsTest extends QuietTestBase {

    @TempDir
    Path dir;

    private static String usage(String... args) {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Main.UsageException e = assertThrows(Main.UsageException.class, () -> Main.run(args, out));
        return e.getMessage();
    }

    @Test
    void badValuesNameTheOptionAndTheForm() {
        assertEquals("--l2 expects a number >= 0, got \"abc\"", usage("--l2", "abc"));
        assertEquals("--l2 expects a number >= 0, got \"-1\"", usage("--l2", "-1"));
        assertTrue(usage("--batch-size", "1.5").startsWith("--batch-size expects a whole number >= 1"));
        assertTrue(usage("--max-iterations", "99999999999").startsWith("--max-iterations expects"));
        assertTrue(usage("--seed", "x").startsWith("--seed expects a whole number"));
        assertTrue(usage("--test-fraction", "1").startsWith("--test-fraction expects a number in (0, 1)"));
        assertTrue(usage("--tolerance", "NaN").startsWith("--tolerance expects"));
        assertTrue(usage("--mode", "fast").startsWith("--mode expects full or minibatch"));
        assertTrue(usage("--l2").contains("--l2 needs a value"));
        assertTrue(usage("bench", "--set", "syn", "--repeats", "x").contains("--repeats expects"));
    }

    @Test
    void missingFileNamesTheOptionAndThePath() {
        Path missing = dir.resolve("nope.csv");
        String m = usage("--data", missing.toString());
        assertTrue(m.startsWith("--data") && m.contains(missing.toString()) && m.contains("does not exist"), m);
    }

    @Test
    void corruptDataNamesTheOptionTheFileAndTheLine() throws IOException {
        Path bad = dir.resolve("bad.csv.gz");
        Files.write(bad, new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8});
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Exception e = assertThrows(Exception.class, () -> Main.run(new String[] {"--data", bad.toString()}, out));
        assertTrue(e instanceof IOException || e.getClass() == IllegalArgumentException.class, e.toString());
        assertTrue(e.getMessage().startsWith("--data") && e.getMessage().contains(bad.toString())
                && e.getMessage().contains("line"), e.getMessage());
    }
}
