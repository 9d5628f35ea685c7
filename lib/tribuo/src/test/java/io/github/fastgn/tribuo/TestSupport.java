package io.github.fastgn.tribuo;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
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

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeMap;
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

    /**
     * What {@code org.tribuo.test.Helpers.testConfigurableRoundtrip} checks (the configuration
     * OLCUT reads from the trainer's fields equals the one extracted from its provenance), with an
     * exact comparison of the property values, plus the use of that check: the trainer rebuilt
     * from its provenance has the same settings.
     *
     * <p>Not Tribuo's helper itself: it compares with OLCUT 5.3.1's
     * {@code ConfigurationData.structuralEquals}, whose numeric comparison
     * {@code Util.doubleEquals(a, b) = |a - b| <= max(a, b) * ulp(1)} is false for two equal
     * negative values (the bound is negative) and for two equal infinities (NaN), so it rejects
     * every trainer, as {@code curvatureSample} defaults to -1 (auto) and {@code targetObjective}
     * to -Infinity ({@code FGNTrainerConfigTest.olcutStructuralEqualsRejectsEqualNegativeValues}
     * pins that bug).
     */
    static void testConfigurableRoundtrip(FGNTrainer trainer) {
        ConfigurationManager cm = new ConfigurationManager();
        String name = cm.importConfigurable(trainer, "item");
        ConfigurationData imported = cm.getConfigurationData(name).orElseThrow();
        List<ConfigurationData> fromProvenance = ProvenanceUtil.extractConfiguration(trainer.getProvenance());
        assertEquals(1, fromProvenance.size());
        ConfigurationData recorded = fromProvenance.get(0);
        assertEquals(imported.getClassName(), recorded.getClassName());
        assertEquals(new TreeMap<>(imported.getProperties()).toString(),
                new TreeMap<>(recorded.getProperties()).toString());
        ConfigurationManager rebuild = new ConfigurationManager();
        rebuild.addConfiguration(fromProvenance);
        FGNTrainer rebuilt = (FGNTrainer) rebuild.lookup(recorded.getName());
        assertEquals(trainer.toString(), rebuilt.toString());
        assertEquals(trainer.options().toString(), rebuilt.options().toString());
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
