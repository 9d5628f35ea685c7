package io.github.fastgn.cli;

import io.github.fastgn.testing.QuietTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code bench} subcommand's argument errors (no race is run here). */
class BenchCommandTest extends QuietTestBase {

    @TempDir
    Path dir;

    private static String error(Class<? extends Exception> type, String... args) {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return assertThrows(type, () -> Main.run(args, out)).getMessage();
    }

    @Test
    void argumentErrors() {
        assertTrue(error(IllegalArgumentException.class, "bench").contains("--set"));
        assertTrue(error(IllegalArgumentException.class, "bigdense", "--step", "all").contains("--step"));
        assertTrue(error(IllegalArgumentException.class, "bigdense", "--rows", "0").contains("--rows"));
        assertTrue(error(IllegalArgumentException.class, "bench", "--set", "fmnist", "--repeats", "x")
                .contains("--repeats"));
        assertTrue(error(IllegalArgumentException.class, "bench", "--set", "fmnist", "--repeats", "0")
                .contains("--repeats"));
        assertTrue(error(IllegalArgumentException.class, "bench", "--set", "fmnist", "--warm-ups", "-1")
                .contains("--warm-ups"));
        assertTrue(error(IllegalArgumentException.class, "bench", "--set", "fmnist", "--entry", "sgd")
                .contains("--entry expects arrays, tribuo or tribuo-logistic"));
        assertTrue(error(IllegalArgumentException.class, "bench", "--set", "fmnist", "--max-seconds", "0")
                .contains("--max-seconds"));
        assertTrue(error(IllegalArgumentException.class, "bench", "--sets", "fmnist").contains("unknown option"));
        assertTrue(error(IllegalArgumentException.class, "bench", "--set").contains("with a value"));
        assertTrue(error(IllegalArgumentException.class, "reproduce", "--bogus", "1").contains("for reproduce"));
        assertTrue(Main.usage().contains("bench --set fmnist|syn|probe"));
    }

    @Test
    void missingDataSaysHowToCreateIt() {
        String m = error(NoSuchFileException.class, "bench", "--set", "fmnist", "--data", dir.toString());
        assertTrue(m.contains("fmnist.json") && m.contains("bench.sh"), m);
    }
}
