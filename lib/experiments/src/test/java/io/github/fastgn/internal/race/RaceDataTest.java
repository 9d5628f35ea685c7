package io.github.fastgn.internal.race;

import io.github.fastgn.testing.QuietTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The raw race-data format: round trip and the errors on missing or malformed files. */
class RaceDataTest extends QuietTestBase {

    @TempDir
    Path dir;

    private static RaceData tiny() {
        float[] xtr = {0f, 1f, 2f, 3f, 4f, 5f};
        float[] xte = {-1.5f, 0.25f};
        return new RaceData("tiny", 2, 3, xtr, new int[] {0, 2, 1}, xte, new int[] {2});
    }

    @Test
    void roundTrip() throws IOException {
        RaceData a = tiny();
        a.write(dir);
        RaceData.writeFstar(dir, "tiny", 0.123456789012);
        RaceData b = RaceData.read(dir, "tiny");
        assertEquals("tiny", b.name());
        assertEquals(3, b.trainSize());
        assertEquals(1, b.testSize());
        assertEquals(2, b.featureCount());
        assertEquals(3, b.classCount());
        assertArrayEquals(a.trainFeatures(), b.trainFeatures());
        assertArrayEquals(a.trainLabels(), b.trainLabels());
        assertArrayEquals(a.testFeatures(), b.testFeatures());
        assertArrayEquals(a.testLabels(), b.testLabels());
        assertEquals(0.123456789012, RaceData.readFstar(dir, "tiny"), 0.0);
        // little-endian on disk, as numpy's "<f4"
        ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("tiny_Xte.f32"))).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(-1.5f, raw.getFloat(0));
    }

    @Test
    void readsTheHeaderOfMakeData() throws IOException {
        tiny().write(dir);
        // make_data.py writes an indented header with extra fields
        Files.writeString(dir.resolve("tiny.json"), "{\n \"source\": \"x/255\",\n \"ntrain\": 3,\n \"ntest\": 1,\n"
                + " \"d\": 2,\n \"K\": 3\n}");
        assertEquals(3, RaceData.read(dir, "tiny").classCount());
    }

    @Test
    void wrongFileSizeNamesTheFileAndTheFix() throws IOException {
        tiny().write(dir);
        Path xtr = dir.resolve("tiny_Xtr.f32");
        byte[] bytes = Files.readAllBytes(xtr);
        Files.write(xtr, Arrays.copyOf(bytes, bytes.length - 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RaceData.read(dir, "tiny"));
        assertTrue(e.getMessage().contains(xtr.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("20 bytes, expected 24"), e.getMessage());
        assertTrue(e.getMessage().contains("bench.sh") && e.getMessage().contains("make_data.py"), e.getMessage());
    }

    @Test
    void labelOutOfRange() throws IOException {
        new RaceData("tiny", 2, 3, new float[6], new int[] {0, 3, 1}, new float[2], new int[] {0}).write(dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RaceData.read(dir, "tiny"));
        assertTrue(e.getMessage().contains("tiny_ytr.i32") && e.getMessage().contains("label 1 is 3"),
                e.getMessage());
        new RaceData("tiny", 2, 3, new float[6], new int[] {0, 1, 1}, new float[2], new int[] {-1}).write(dir);
        e = assertThrows(IllegalArgumentException.class, () -> RaceData.read(dir, "tiny"));
        assertTrue(e.getMessage().contains("tiny_yte.i32"), e.getMessage());
    }

    @Test
    void nonFiniteFeature() throws IOException {
        float[] xtr = new float[6];
        xtr[3] = Float.NaN;
        new RaceData("tiny", 2, 3, xtr, new int[] {0, 1, 2}, new float[2], new int[] {0}).write(dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RaceData.read(dir, "tiny"));
        assertTrue(e.getMessage().contains("tiny_Xtr.f32") && e.getMessage().contains("row 1, column 1 is NaN"),
                e.getMessage());
    }

    @Test
    void missingFilesSayHowToCreateThem() throws IOException {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> RaceData.read(dir, "fmnist"));
        assertTrue(e.getMessage().contains("fmnist.json") && e.getMessage().contains("bench.sh"), e.getMessage());
        tiny().write(dir);
        Files.delete(dir.resolve("tiny_yte.i32"));
        e = assertThrows(NoSuchFileException.class, () -> RaceData.read(dir, "tiny"));
        assertTrue(e.getMessage().contains("tiny_yte.i32"), e.getMessage());
        e = assertThrows(NoSuchFileException.class, () -> RaceData.readFstar(dir, "tiny"));
        assertTrue(e.getMessage().contains("tiny_fstar.json"), e.getMessage());
    }

    @Test
    void malformedHeaderAndFstar() throws IOException {
        tiny().write(dir);
        Files.writeString(dir.resolve("tiny.json"), "{\"ntrain\": 3, \"ntest\": 1, \"d\": 2}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RaceData.read(dir, "tiny"));
        assertTrue(e.getMessage().contains("\"K\""), e.getMessage());
        Files.writeString(dir.resolve("tiny_fstar.json"), "{\"fstar\": NaN}");
        e = assertThrows(IllegalArgumentException.class, () -> RaceData.readFstar(dir, "tiny"));
        assertTrue(e.getMessage().contains("tiny_fstar.json"), e.getMessage());
    }
}
