package io.github.fastgn.data;

import io.github.fastgn.testing.QuietTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The digits CSV reader: small files written here (plain and gzip), malformed files, the bundled copy. */
class DigitsLoaderTest extends QuietTestBase {

    @TempDir
    Path dir;

    /** A line of 64 pixels {@code (j + offset) mod 17} and the label. */
    private static String line(int offset, String label) {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < 64; j++) {
            sb.append((j + offset) % 17).append(',');
        }
        return sb.append(label).toString();
    }

    private Path write(String name, String content, boolean gzip) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            out.write(content.getBytes(StandardCharsets.US_ASCII));
        }
        return p;
    }

    private void checkSmallFile(LabelledData data) {
        assertEquals(3, data.size());
        assertEquals(64, data.featureCount());
        assertEquals(10, data.classCount());
        assertArrayEquals(new int[] {7, 0, 9}, data.labels());
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 64; j++) {
                assertEquals(((j + i) % 17) / 16.0, data.features()[i * 64 + j], 0.0, "pixels are divided by 16");
            }
        }
    }

    @Test
    void readsPlainAndGzipFiles() throws IOException {
        String csv = line(0, "7") + "\n" + line(1, "0") + "\n\n" + line(2, "9") + "\n";
        checkSmallFile(Digits.load(write("small.csv", csv, false)));
        checkSmallFile(Digits.load(write("small.csv.gz", csv, true)));
        // gzip is detected from the content, not the file name
        checkSmallFile(Digits.load(write("misnamed.csv", csv, true)));
        // CRLF line ends and spaces around values are accepted
        checkSmallFile(Digits.read(new ByteArrayInputStream(csv.replace("\n", "\r\n").replace(",", " , ")
                .getBytes(StandardCharsets.US_ASCII)), "crlf"));
    }

    private void rejects(String content, String... fragments) throws IOException {
        Path p = write("bad.csv", content, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Digits.load(p));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' should mention '" + f + "'");
        }
        assertTrue(e.getMessage().contains(p.toString()), "the message names the file: " + e.getMessage());
    }

    @Test
    void malformedFilesAreRejectedWithClearMessages() throws IOException {
        String good = line(0, "1") + "\n";
        rejects(good + line(0, "1").replaceFirst("0,", "") + "\n", "line 2", "expected 65", "found 64");
        rejects(good + line(0, "1") + ",3\n", "line 2", "found 66");
        rejects(good + good + line(0, "1").replaceFirst("^0,", "abc,") + "\n", "line 3", "'abc' is not a number");
        rejects(line(0, "1").replaceFirst("^0,", "17,") + "\n", "line 1", "pixel 0 = 17.0 is outside [0, 16]");
        rejects(line(0, "1").replaceFirst("^0,", "-1,") + "\n", "pixel 0 = -1.0");
        rejects(line(0, "10") + "\n", "label 10 is not an integer in [0, 9]");
        rejects(line(0, "2.5") + "\n", "label 2.5");
        rejects(line(0, "-1") + "\n", "label -1");
        rejects(line(0, "x") + "\n", "'x' is not a number");
        rejects("", "holds no examples");
        rejects("\n\n  \n", "holds no examples");
    }

    @Test
    void emptyGzipFileIsRejected() throws IOException {
        Path p = write("empty.csv.gz", "", true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Digits.load(p));
        assertTrue(e.getMessage().contains("holds no examples"), e.getMessage());
    }

    @Test
    void bundledDigitsHaveTheExpectedShape() {
        LabelledData digits = Digits.load();
        assertEquals(Digits.ROWS, digits.size());
        assertEquals(1797, digits.size());
        assertEquals(64, digits.featureCount());
        assertEquals(10, digits.classCount());
        // sklearn's digits: 178 zeros, 182 ones, ... (every class between 174 and 183)
        for (int c : digits.classCounts()) {
            assertTrue(c >= 174 && c <= 183, "class count " + c);
        }
        assertEquals(178, digits.classCounts()[0]);
        double max = 0;
        for (double v : digits.features()) {
            max = Math.max(max, v);
        }
        assertEquals(1.0, max, 0.0, "pixels 0..16 scaled by 1/16");
        Splits.Split split = Splits.stratified(digits, 0.2, 42);
        assertEquals(1797, split.train().size() + split.test().size());
        for (int c = 0; c < 10; c++) {
            int n = digits.classCounts()[c];
            assertEquals(Math.round(0.2 * n), split.test().classCounts()[c], "stratified test share of class " + c);
        }
    }
}
