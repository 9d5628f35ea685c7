package io.github.fastgn.tribuo;

import io.github.fastgn.data.Digits;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.data.Splits;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.math.la.DenseMatrix;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Shared fixtures of the Tribuo tests. */
final class TestSupport {

    /** Strong references: JUL keeps loggers weakly, and a collected logger forgets its level. */
    private static final List<Logger> QUIET = List.of(Logger.getLogger("org.tribuo"),
            Logger.getLogger("io.github.fastgn"), Logger.getLogger("com.oracle.labs.mlrg.olcut"),
            Logger.getLogger("ai.onnxruntime"));

    static final long SPLIT_SEED = 42L;

    private static Splits.Split digits;

    private TestSupport() {
    }

    /** Trainers and Tribuo log INFO lines; tests keep stderr clean. */
    static void quietLogging() {
        for (Logger l : QUIET) {
            l.setLevel(Level.WARNING);
        }
    }

    /** The digits 80/20 stratified split, seed 42 (cached). */
    static synchronized Splits.Split digitsSplit() {
        if (digits == null) {
            digits = Splits.stratified(Digits.load(), 0.2, SPLIT_SEED);
        }
        return digits;
    }

    static MutableDataset<Label> digitsTrain() {
        return TribuoData.toDataset(digitsSplit().train(), TribuoData.classNames(10), TribuoData.featureNames("px", 64),
                "digits train (80/20, seed 42)");
    }

    static MutableDataset<Label> digitsTest() {
        return TribuoData.toDataset(digitsSplit().test(), TribuoData.classNames(10), TribuoData.featureNames("px", 64),
                "digits test (80/20, seed 42)");
    }

    /** The first 400 training examples of the digits split: quick to train, all ten classes. */
    static MutableDataset<Label> smallDigits() {
        int[] index = new int[400];
        for (int i = 0; i < index.length; i++) {
            index[i] = i;
        }
        return TribuoData.toDataset(digitsSplit().train().subset(index), TribuoData.classNames(10),
                TribuoData.featureNames("px", 64), "digits train, first 400");
    }

    static double[] weights(LinearSGDModel model) {
        DenseMatrix m = (DenseMatrix) model.getWeightsCopy();
        int rows = m.getDimension1Size();
        int cols = m.getDimension2Size();
        double[] out = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[r * cols + c] = m.get(r, c);
            }
        }
        return out;
    }

    static LabelledData digitsTrainArrays() {
        return digitsSplit().train();
    }

    /**
     * Fails a test that writes to System.out or System.err (the library must log through
     * java.util.logging, and tests assert instead of printing).
     */
    static final class NoConsoleOutput implements BeforeEachCallback, AfterEachCallback {
        private PrintStream out;
        private PrintStream err;
        private ByteArrayOutputStream buffer;

        @Override
        public void beforeEach(ExtensionContext context) {
            quietLogging();
            out = System.out;
            err = System.err;
            buffer = new ByteArrayOutputStream();
            PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8);
            System.setOut(capture);
            System.setErr(capture);
        }

        @Override
        public void afterEach(ExtensionContext context) {
            System.setOut(out);
            System.setErr(err);
            String written = buffer.toString(StandardCharsets.UTF_8);
            if (!written.isEmpty()) {
                throw new AssertionError(context.getDisplayName() + " wrote to the console:\n" + written);
            }
        }
    }
}
