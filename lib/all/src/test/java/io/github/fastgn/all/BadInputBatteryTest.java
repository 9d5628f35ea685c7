package io.github.fastgn.all;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import io.github.fastgn.SoftmaxHeadTrainer;
import io.github.fastgn.SoftmaxModel;
import io.github.fastgn.SoftmaxObjective;
import io.github.fastgn.baseline.FirstOrderOptimizer;
import io.github.fastgn.baseline.FirstOrderOptions;
import io.github.fastgn.baseline.LearningRateSchedule;
import io.github.fastgn.baseline.Lbfgs;
import io.github.fastgn.baseline.UpdateRule;
import io.github.fastgn.data.Digits;
import io.github.fastgn.data.FashionMnist;
import io.github.fastgn.data.Idx;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.data.MappedFloatFeatures;
import io.github.fastgn.data.Splits;
import io.github.fastgn.data.Standardizer;
import io.github.fastgn.notebook.NotebookProgress;
import io.github.fastgn.optim.FgnOptimizer;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.IterationRecord;
import io.github.fastgn.optim.OptionException;
import io.github.fastgn.optim.StopReason;
import io.github.fastgn.optim.TrainingListener;
import io.github.fastgn.optim.TrainingResult;
import io.github.fastgn.testing.QuietTestBase;
import io.github.fastgn.tribuo.FGNTrainer;
import io.github.fastgn.tribuo.TribuoData;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The bad-input battery: what a new user may pass to every public entry point (the plain-array
 * trainer, the optimizers and baselines, the objective and the model, the options, the loaders, the
 * Tribuo trainer and its {@code @Config} values, and the command line), and what must come back. It
 * lives in {@code fastgn-all}, the one module that sees every other one, and uses only what users
 * call: public types of the non-internal packages, and the command line as a separate process.
 *
 * <p>Each case is one line in {@link #cases()}: an area, a name, the exception type expected
 * (exactly that class, not a subclass) or the exit code, the words its message must contain (what is
 * wrong, where, and the fix), and the call. {@link #behaves} cases check a documented outcome that is
 * not an exception (interruption, a stop request, a reused listener). To add a case, add one line to
 * the area's block; {@link #atLeastSixtyDistinctCases()} keeps the names distinct.
 */
class BadInputBatteryTest extends QuietTestBase {

    @TempDir
    Path dir;

    /** What a case checks when run. */
    private interface Check {
        void run() throws Throwable;
    }

    /** One bad input: where, what, and its check. */
    private record Case(String area, String name, Check check) {
    }

    /** {@code action} throws exactly {@code type} and its message contains every one of {@code words}. */
    private static Case fails(String area, String name, Class<? extends Throwable> type, Executable action,
                              String... words) {
        return new Case(area, name, () -> {
            Throwable thrown = null;
            try {
                action.execute();
            } catch (Throwable t) {
                thrown = t;
            }
            if (thrown == null) {
                fail(name + ": no exception; expected " + type.getSimpleName());
            }
            if (thrown.getClass() != type) {
                throw new AssertionError(name + ": expected " + type.getName() + ", got " + thrown, thrown);
            }
            String m = String.valueOf(thrown.getMessage());
            for (String w : words) {
                assertTrue(m.contains(w), () -> name + ": message lacks \"" + w + "\": " + m);
            }
        });
    }

    /** A documented outcome that is not an exception. */
    private static Case behaves(String area, String name, Executable check) {
        return new Case(area, name, check::execute);
    }

    /**
     * The command line run as a user runs it (a separate JVM: {@code Main.main} exits the process):
     * the exit code, the words of standard error, and no stack trace.
     */
    private static Case cli(String name, int exit, String[] words, String... args) {
        return new Case("cli", name, () -> {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", cp, "io.github.fastgn.cli.Main"));
            command.addAll(Arrays.asList(args));
            Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            byte[] err = p.getErrorStream().readAllBytes();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), name + ": the command did not finish");
            String stderr = new String(err, StandardCharsets.UTF_8);
            assertEquals(exit, p.exitValue(), () -> name + ": exit code; stderr: " + stderr);
            assertFalse(stderr.contains("\tat ") || stderr.contains("Exception in thread"),
                    () -> name + ": a stack trace instead of a message: " + stderr);
            for (String w : words) {
                assertTrue(stderr.contains(w), () -> name + ": stderr lacks \"" + w + "\": " + stderr);
            }
        });
    }

    private static String[] words(String... w) {
        return w;
    }

    // ---- small inputs ----

    /** Four examples, two features, two classes. */
    private static LabelledData small() {
        return new LabelledData(new double[] {1, 0, 2, 1, -1, 0.5, -2, 1}, new int[] {0, 0, 1, 1}, null, 4, 2, 2);
    }

    private static FgnOptions raw() {
        return FgnOptions.builder().standardize(false).maxIterations(20).threads(1).build();
    }

    private static FirstOrderOptions firstOrder() {
        return FirstOrderOptions.builder().maxIterations(5).threads(1).build();
    }

    private static final LabelFactory FACTORY = new LabelFactory();

    private static MutableDataset<Label> tribuo(String... labels) {
        MutableDataset<Label> ds = new MutableDataset<>(new SimpleDataSourceProvenance("battery", FACTORY), FACTORY);
        for (int i = 0; i < labels.length; i++) {
            ds.add(new ArrayExample<>(new Label(labels[i]), new String[] {"a", "b"}, new double[] {i + 1, i % 2}));
        }
        return ds;
    }

    private static MutableDataset<Label> withoutFeatures(MutableDataset<Label> ds) {
        for (Example<Label> ex : ds) {
            List<Feature> all = new ArrayList<>();
            ex.forEach(all::add);
            ex.removeFeatures(all);
        }
        ds.regenerateFeatureInfo();
        return ds;
    }

    /** A FGNTrainer configured through OLCUT with one property set. */
    private FGNTrainer configured(String... properties) throws IOException {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<config>\n"
                + "<component name=\"t\" type=\"io.github.fastgn.tribuo.FGNTrainer\">\n");
        for (int i = 0; i < properties.length; i += 2) {
            xml.append("<property name=\"").append(properties[i]).append("\" value=\"").append(properties[i + 1])
                    .append("\"/>\n");
        }
        xml.append("</component>\n</config>\n");
        Path file = Files.createTempFile(dir, "trainer", ".xml");
        Files.writeString(file, xml);
        return (FGNTrainer) new ConfigurationManager(file.toString()).lookup("t");
    }

    private Path file(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    private Path text(String name, String content) throws IOException {
        return file(name, content.getBytes(StandardCharsets.US_ASCII));
    }

    /** One valid digits line: 64 pixels and a label. */
    private static String digitsLine(int pixel, String label) {
        return (pixel + ",").repeat(Digits.FEATURES) + label + "\n";
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(plain);
        }
        return out.toByteArray();
    }

    /** An IDX image header claiming {@code count} images of {@code rows x cols}, then {@code body} bytes. */
    private static byte[] idxImages(int magic, int count, int rows, int cols, int body) {
        ByteBuffer b = ByteBuffer.allocate(16 + body);
        b.putInt(magic).putInt(count).putInt(rows).putInt(cols);
        return b.array();
    }

    /** A race data set {@code s} in {@code folder} whose training features file is cut short. */
    private Path truncatedRaceSet() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("race"));
        Files.writeString(folder.resolve("s.json"), "{\"ntrain\": 3, \"ntest\": 1, \"d\": 2, \"K\": 3}\n");
        Files.write(folder.resolve("s_Xtr.f32"), new byte[10]);
        Files.write(folder.resolve("s_ytr.i32"), new byte[12]);
        Files.write(folder.resolve("s_Xte.f32"), new byte[8]);
        Files.write(folder.resolve("s_yte.i32"), new byte[4]);
        Files.writeString(folder.resolve("s_fstar.json"), "{\"fstar\": 0.5}\n");
        return folder;
    }

    /** A listener whose every iteration callback throws. */
    private static final class Throwing implements TrainingListener {
        final IllegalStateException error = new IllegalStateException("listener failed on purpose");

        @Override
        public void iterationFinished(IterationRecord record) {
            throw error;
        }
    }

    // ---- the cases ----

    private List<Case> cases() throws IOException {
        double nan = Double.NaN;
        double inf = Double.POSITIVE_INFINITY;
        Class<IllegalArgumentException> iae = IllegalArgumentException.class;
        Class<OptionException> opt = OptionException.class;
        List<Case> c = new ArrayList<>();

        // data: LabelledData and the arrays every trainer takes
        c.add(fails("data", "null features", iae, () -> new LabelledData(null, new int[] {0, 1}, null, 2, 1, 2),
                "features must not be null"));
        c.add(fails("data", "null float features", iae, () -> LabelledData.ofFloat(null, new int[] {0, 1}, null, 2, 1, 2),
                "features must not be null"));
        c.add(fails("data", "null labels", iae, () -> new LabelledData(new double[2], null, null, 2, 1, 2),
                "labels must not be null"));
        c.add(fails("data", "empty data set", iae, () -> new LabelledData(new double[0], new int[0], null, 0, 1, 2),
                "empty", "at least one example"));
        c.add(fails("data", "no features", iae, () -> new LabelledData(new double[0], new int[] {0, 1}, null, 2, 0, 2),
                "no features", "at least one feature"));
        c.add(fails("data", "one class", iae, () -> new LabelledData(new double[2], new int[] {0, 0}, null, 2, 1, 1),
                "at least 2 classes", "add examples of another class"));
        c.add(fails("data", "features shorter than n*d", iae,
                () -> new LabelledData(new double[5], new int[3], null, 3, 2, 2), "features hold 5 values",
                "n*d = 3*2"));
        c.add(fails("data", "labels shorter than n", iae,
                () -> new LabelledData(new double[6], new int[2], null, 3, 2, 2), "got 2 labels for 3 examples"));
        c.add(fails("data", "label above range", iae,
                () -> new LabelledData(new double[3], new int[] {0, 3, 1}, null, 3, 1, 3),
                "label 3 of example 1", "outside [0, 3)"));
        c.add(fails("data", "negative label", iae,
                () -> new LabelledData(new double[2], new int[] {-1, 1}, null, 2, 1, 2), "label -1 of example 0"));
        c.add(fails("data", "NaN feature", iae,
                () -> new LabelledData(new double[] {0, nan, 1, 1}, new int[] {0, 1}, null, 2, 2, 2),
                "feature 1 of example 0 is NaN", "impute"));
        c.add(fails("data", "infinite feature", iae,
                () -> new LabelledData(new double[] {0, 1, -inf, 1}, new int[] {0, 1}, null, 2, 2, 2),
                "feature 0 of example 1 is -Infinity"));
        c.add(fails("data", "NaN float feature", iae,
                () -> LabelledData.ofFloat(new float[] {0, 1, 1, Float.NaN}, new int[] {0, 1}, null, 2, 2, 2),
                "feature 1 of example 1 is NaN"));
        c.add(fails("data", "float features of wrong length", iae,
                () -> LabelledData.ofFloat(new float[3], new int[] {0, 1}, null, 2, 2, 2), "features hold 3 values"));
        c.add(fails("data", "weights of wrong length", iae,
                () -> new LabelledData(new double[2], new int[] {0, 1}, new double[3], 2, 1, 2),
                "got 3 weights for 2 examples"));
        c.add(fails("data", "negative weight", iae,
                () -> new LabelledData(new double[2], new int[] {0, 1}, new double[] {1, -1}, 2, 1, 2),
                "weight of example 1 is -1.0", ">= 0"));
        c.add(fails("data", "NaN weight", iae,
                () -> new LabelledData(new double[2], new int[] {0, 1}, new double[] {nan, 1}, 2, 1, 2),
                "weight of example 0 is NaN", "finite"));
        c.add(fails("data", "infinite weight", iae,
                () -> new LabelledData(new double[2], new int[] {0, 1}, new double[] {1, inf}, 2, 1, 2),
                "weight of example 1 is Infinity"));
        c.add(fails("data", "zero-sum weights", iae,
                () -> new LabelledData(new double[2], new int[] {0, 1}, new double[] {0, 0}, 2, 1, 2),
                "all example weights are zero"));
        c.add(fails("data", "weights whose sum overflows", iae,
                () -> new LabelledData(new double[2], new int[] {0, 1}, new double[] {1e308, 1e308}, 2, 1, 2),
                "sum", "rescale the weights"));
        c.add(fails("data", "ragged rows", iae, () -> LabelledData.of(new double[][] {{1, 2}, {3}}, new int[] {0, 1}),
                "row 1 has 1 features, row 0 has 2"));
        c.add(fails("data", "null row", iae, () -> LabelledData.of(new double[][] {{1, 2}, null}, new int[] {0, 1}),
                "row 1 is null"));
        c.add(fails("data", "rows without labels", iae, () -> LabelledData.of(new double[][] {{1}, {2}}, null),
                "labels must not be null"));
        c.add(fails("data", "no rows", iae, () -> LabelledData.of(new double[0][], new int[0]), "empty"));
        c.add(fails("data", "rows with a negative label", iae,
                () -> LabelledData.of(new double[][] {{1}, {2}}, new int[] {0, -2}), "label -2 of example 1"));
        c.add(fails("data", "subset index out of range", iae, () -> small().subset(new int[] {0, 4}),
                "index 4", "[0, 4)"));
        c.add(fails("data", "huge magnitudes without standardisation", iae,
                () -> new FgnOptimizer(raw()).optimize(new LabelledData(new double[] {1e300, -1e300, 2e300, 0},
                        new int[] {0, 0, 1, 1}, null, 4, 1, 2)), "cannot be represented", "standardize=true"));
        c.add(fails("data", "huge magnitudes through the plain-array trainer", iae,
                () -> new SoftmaxHeadTrainer(raw()).fit(new LabelledData(new double[] {1e300, -1e300, 2e300, 0},
                        new int[] {0, 0, 1, 1}, null, 4, 1, 2)), "cannot be represented", "standardize=true"));
        c.add(behaves("data", "huge magnitudes with standardisation train", () -> {
            LabelledData huge = new LabelledData(new double[] {1e300, -1e300, 2e300, 0, -1.5e300, 1e299},
                    new int[] {1, 0, 1, 0, 0, 1}, null, 6, 1, 2);
            SoftmaxHeadTrainer.Fit fit = new SoftmaxHeadTrainer(FgnOptions.builder().threads(1).build()).fit(huge);
            assertTrue(Arrays.stream(fit.model().weights()).allMatch(Double::isFinite));
            assertTrue(fit.training().objective() < Math.log(2), "training made no progress");
        }));
        c.add(fails("data", "NaN starting point", iae, () -> new FgnOptimizer(raw()).optimize(small(),
                new double[] {0, 0, 0, 0, nan, 0}), "start[4] is NaN", "finite"));
        c.add(fails("data", "starting point of wrong length", iae, () -> new Lbfgs(firstOrder()).optimize(small(),
                new double[5]), "start has 5 entries", "k*(d+1) = 6", "pass null"));
        c.add(fails("data", "starting point too large to evaluate", iae, () -> {
            double[] start = new double[6];
            Arrays.fill(start, 1e200);
            new FgnOptimizer(raw()).optimize(small(), start);
        }, "starting point", "smaller"));
        c.add(fails("data", "null data to an optimizer", iae, () -> new FgnOptimizer(raw()).optimize(null),
                "data must not be null"));
        c.add(fails("data", "null data to the plain-array trainer", iae,
                () -> new SoftmaxHeadTrainer(FgnOptions.defaults()).fit(null), "data must not be null"));
        c.add(fails("data", "objective at a NaN point", iae,
                () -> new SoftmaxObjective(small(), 1e-4).evaluate(new double[] {0, 0, nan, 0, 0, 0}, null),
                "params[2] is NaN"));
        c.add(fails("data", "objective with too few parameters", iae,
                () -> new SoftmaxObjective(small(), 1e-4).evaluate(new double[5], null), "k*(d+1) = 6", "got 5"));
        c.add(fails("data", "objective gradient of wrong length", iae,
                () -> new SoftmaxObjective(small(), 1e-4).evaluate(new double[6], new double[2]),
                "gradient must hold"));
        c.add(fails("data", "objective with negative l2", iae, () -> new SoftmaxObjective(small(), -1),
                "l2 must be a finite number >= 0"));
        c.add(fails("data", "split fraction of 1", iae, () -> Splits.stratified(small(), 1.0, 1),
                "testFraction must lie in (0, 1)"));
        c.add(fails("data", "split that leaves the test part empty", iae, () -> Splits.stratified(small(), 0.1, 1),
                "leaves the test part empty", "a larger testFraction"));
        c.add(fails("data", "split of null data", iae, () -> Splits.stratified(null, 0.2, 1),
                "data must not be null"));
        c.add(fails("data", "standardizer fitted on NaN", iae,
                () -> Standardizer.fit(new double[] {1, nan, 2, 3}, 2, 2), "feature 1 of example 0 is NaN"));
        c.add(fails("data", "standardizer fitted on a short array", iae,
                () -> Standardizer.fit(new double[3], 2, 2), "x holds 3 values", "n*d = 2*2"));
        c.add(fails("data", "standardizer with negative weights", iae,
                () -> Standardizer.fit(new double[4], 2, 2, new double[] {1, -1}), "weight of example 1"));
        c.add(fails("data", "standardizer transform of wrong width", iae,
                () -> Standardizer.fit(new double[4], 2, 2).transform(new double[5], 2), "expected 2 rows of 2",
                "got 5"));
        c.add(fails("data", "standardizer fold of wrong length", iae,
                () -> Standardizer.fit(new double[4], 2, 2).foldIntoWeights(new double[5], 2), "k*(d+1) = 2*3",
                "got 5 values"));

        // hyper-parameters: FgnOptions, FirstOrderOptions, the update rules, the Tribuo trainer and its @Config
        c.add(fails("options", "negative l2", opt, () -> FgnOptions.builder().l2(-1), "l2 must be", ">= 0"));
        c.add(fails("options", "NaN l2", opt, () -> FgnOptions.builder().l2(nan), "l2 must be", "got NaN"));
        c.add(fails("options", "infinite l2", opt, () -> FgnOptions.builder().l2(inf), "l2 must be a finite number"));
        c.add(fails("options", "zero batch size", opt, () -> FgnOptions.builder().batchSize(0), "batchSize",
                "at least 1"));
        c.add(fails("options", "zero iterations", opt, () -> FgnOptions.builder().maxIterations(0), "maxIterations",
                "at least 1"));
        c.add(fails("options", "negative tolerance", opt, () -> FgnOptions.builder().tolerance(-1e-6), "tolerance"));
        c.add(fails("options", "NaN tolerance", opt, () -> FgnOptions.builder().tolerance(nan), "tolerance",
                "got NaN"));
        c.add(fails("options", "unknown solver", opt, () -> FgnOptions.builder().solver("lbfgs"),
                "unknown solver 'lbfgs'", "fgn-row-cholesky"));
        c.add(fails("options", "null solver", opt, () -> FgnOptions.builder().solver(null), "solver"));
        c.add(fails("options", "null mode", opt, () -> FgnOptions.builder().mode(null), "mode must not be null"));
        c.add(fails("options", "unknown mode text", opt, () -> FgnOptions.Mode.parse("fast"),
                "mode must be \"full\" or \"minibatch\"", "fast"));
        c.add(fails("options", "zero guard scale", opt, () -> FgnOptions.builder().guardScale(0), "guardScale",
                "> 0"));
        c.add(fails("options", "infinite guard scale", opt, () -> FgnOptions.builder().guardScale(inf),
                "guardScale"));
        c.add(fails("options", "negative initial damping", opt, () -> FgnOptions.builder().initialDamping(-1),
                "initialDamping"));
        c.add(fails("options", "zero minimum damping", opt, () -> FgnOptions.builder().minDamping(0), "minDamping"));
        c.add(fails("options", "infinite maximum damping", opt, () -> FgnOptions.builder().maxDamping(inf),
                "maxDamping"));
        c.add(fails("options", "inverted damping range", opt, () -> FgnOptions.builder().dampingRange(1, 0.5),
                "0 < min <= max"));
        c.add(fails("options", "minimum damping above maximum", opt,
                () -> FgnOptions.builder().minDamping(1e7).build(), "minDamping 1.0E7 exceeds maxDamping"));
        c.add(fails("options", "initial damping outside the range", opt,
                () -> FgnOptions.builder().initialDamping(1e7).build(), "outside the damping range", "or 0"));
        c.add(fails("options", "zero CG iterations", opt, () -> FgnOptions.builder().maxCgIterations(0),
                "maxCgIterations"));
        c.add(fails("options", "negative time budget", opt, () -> FgnOptions.builder().maxSeconds(-1),
                "maxSeconds"));
        c.add(fails("options", "NaN time budget", opt, () -> FgnOptions.builder().maxSeconds(nan), "maxSeconds"));
        c.add(fails("options", "negative threads", opt, () -> FgnOptions.builder().threads(-1), "threads"));
        c.add(fails("options", "curvature sample below -1", opt, () -> FgnOptions.builder().curvatureSample(-2),
                "curvatureSample"));
        c.add(fails("options", "NaN target objective", opt, () -> FgnOptions.builder().targetObjective(nan),
                "targetObjective"));
        c.add(fails("options", "FGN-D with Newton", opt,
                () -> FgnOptions.builder().solver("newton").dropCompensation(true).build(),
                "dropCompensation", "FGN solvers only"));
        c.add(fails("options", "guard scale with the guard off", opt,
                () -> FgnOptions.builder().guard(false).guardScale(2).build(), "no effect with guard=off"));
        c.add(fails("options", "batch size in full mode", opt, () -> FgnOptions.builder().batchSize(64).build(),
                "batchSize=64 has no effect in full mode", "mode=minibatch"));
        c.add(fails("options", "averaging off in full mode", opt, () -> FgnOptions.builder().averaging(false).build(),
                "averaging=false has no effect in full mode"));
        c.add(fails("options", "curvature sample in minibatch mode", opt,
                () -> FgnOptions.builder().mode(FgnOptions.Mode.MINIBATCH).curvatureSample(100).build(),
                "curvatureSample=100 has no effect in minibatch mode", "mode=full"));
        c.add(fails("options", "FGN optimizer asked to standardise", iae,
                () -> new FgnOptimizer(FgnOptions.defaults()), "standardize is on", "standardize(false)"));
        c.add(fails("options", "FGN optimizer without options", iae, () -> new FgnOptimizer(null),
                "options must not be null"));
        c.add(fails("options", "plain-array trainer without options", iae, () -> new SoftmaxHeadTrainer(null),
                "options must not be null"));
        c.add(fails("options", "zero learning rate", opt, () -> FirstOrderOptions.builder().learningRate(0),
                "learningRate"));
        c.add(fails("options", "NaN learning rate", opt, () -> FirstOrderOptions.builder().learningRate(nan),
                "learningRate"));
        c.add(fails("options", "divergence factor of 1", opt, () -> FirstOrderOptions.builder().divergenceFactor(1),
                "divergenceFactor"));
        c.add(fails("options", "zero L-BFGS memory", opt, () -> FirstOrderOptions.builder().memory(0), "memory"));
        c.add(fails("options", "null schedule", opt, () -> FirstOrderOptions.builder().schedule(null),
                "schedule must not be null"));
        c.add(fails("options", "first-order batch size in full mode", opt,
                () -> FirstOrderOptions.builder().batchSize(32).build(), "batchSize=32 has no effect in full mode",
                "mode=minibatch"));
        c.add(fails("options", "first-order target objective in minibatch mode", opt,
                () -> FirstOrderOptions.builder().mode(FgnOptions.Mode.MINIBATCH).targetObjective(0.1).build(),
                "targetObjective=0.1 has no effect in minibatch mode"));
        c.add(fails("options", "first-order optimizer without a rule", iae,
                () -> new FirstOrderOptimizer(null, firstOrder()), "rule must not be null"));
        c.add(fails("options", "first-order optimizer without options", iae,
                () -> new FirstOrderOptimizer(UpdateRule.adam(0.9, 0.999, 1e-8), null), "options must not be null"));
        c.add(fails("options", "L-BFGS without options", iae, () -> new Lbfgs(null), "options must not be null"));
        c.add(fails("options", "momentum of 1", iae, () -> UpdateRule.momentum(1.0), "momentum must lie in [0, 1)"));
        c.add(fails("options", "Adam beta2 of 1", iae, () -> UpdateRule.adam(0.9, 1.0, 1e-8), "beta1, beta2"));
        c.add(fails("options", "zero clipping threshold", iae, () -> UpdateRule.clipped(0), "threshold must be > 0"));
        c.add(fails("options", "spike that ends before it starts", iae, () -> LearningRateSchedule.spike(5, 3, 2),
                "from < to"));
        c.add(fails("options", "Tribuo trainer with negative l2", opt, () -> new FGNTrainer(-1), "l2"));
        c.add(fails("options", "Tribuo trainer with unknown mode", opt,
                () -> new FGNTrainer(1e-4, "fast", 10, "auto", 1), "mode", "fast"));
        c.add(fails("options", "Tribuo trainer without options", iae, () -> new FGNTrainer((FgnOptions) null),
                "options must not be null"));
        c.add(fails("options", "Tribuo @Config l2 NaN", PropertyException.class, () -> configured("l2", "NaN"),
                "l2", "got NaN"));
        c.add(fails("options", "Tribuo @Config zero iterations", PropertyException.class,
                () -> configured("maxIterations", "0"), "maxIterations", "at least 1"));
        c.add(fails("options", "Tribuo @Config unknown solver", PropertyException.class,
                () -> configured("solver", "sgd"), "unknown solver 'sgd'"));
        c.add(fails("options", "Tribuo @Config infinite guard scale", PropertyException.class,
                () -> configured("guardScale", "Infinity"), "guardScale"));
        c.add(fails("options", "Tribuo @Config averaging in full mode", PropertyException.class,
                () -> configured("averaging", "false"), "averaging=false has no effect in full mode"));
        c.add(fails("options", "Tribuo negative invocation count", iae, () -> new FGNTrainer(1e-4).setInvocationCount(-1),
                "invocationCount is less than zero"));

        // files: the loaders of IDX, digits CSV, Fashion-MNIST folders
        c.add(fails("files", "IDX with wrong magic", iae,
                () -> Idx.readImages(new ByteArrayInputStream(idxImages(0x0803_0000, 1, 2, 2, 4)), "w.idx"),
                "w.idx", "wrong magic number"));
        c.add(fails("files", "IDX of 18 bytes claiming 1000 images", iae,
                () -> Idx.readImages(new ByteArrayInputStream(idxImages(Idx.IMAGES_MAGIC, 1000, 28, 28, 2)), "t.idx"),
                "t.idx", "truncated", "declares 1000"));
        c.add(fails("files", "IDX with a header past int sizes", iae,
                () -> Idx.readImages(new ByteArrayInputStream(idxImages(Idx.IMAGES_MAGIC, Integer.MAX_VALUE, 65535,
                        65535, 0)), "h.idx"), "h.idx", "declares"));
        c.add(fails("files", "IDX truncated before its header", iae,
                () -> Idx.readLabels(new ByteArrayInputStream(new byte[] {0, 0, 8}), "l.idx", 10), "l.idx",
                "truncated"));
        c.add(fails("files", "IDX labels out of range", iae, () -> {
            ByteBuffer b = ByteBuffer.allocate(10).putInt(Idx.LABELS_MAGIC).putInt(2);
            b.put((byte) 1).put((byte) 12);
            Idx.readLabels(new ByteArrayInputStream(b.array()), "y.idx", 10);
        }, "y.idx", "label 12 of item 1"));
        c.add(fails("files", "IDX images file missing", NoSuchFileException.class,
                () -> Idx.readImages(dir.resolve("absent-images.idx")), "absent-images.idx"));
        c.add(fails("files", "digits CSV with a short line", iae,
                () -> Digits.read(new ByteArrayInputStream("1,2,3\n".getBytes(StandardCharsets.US_ASCII)), "d.csv"),
                "d.csv line 1", "expected 65", "fix the line"));
        c.add(fails("files", "digits CSV pixel out of range", iae,
                () -> Digits.read(new ByteArrayInputStream(digitsLine(17, "3").getBytes(StandardCharsets.US_ASCII)),
                        "p.csv"), "p.csv line 1", "pixel 0 = 17.0 is outside [0, 16]"));
        c.add(fails("files", "digits CSV label 10", iae,
                () -> Digits.read(new ByteArrayInputStream((digitsLine(1, "0") + digitsLine(1, "10"))
                        .getBytes(StandardCharsets.US_ASCII)), "l.csv"), "l.csv line 2", "label 10",
                "integer in [0, 9]"));
        c.add(fails("files", "digits CSV with a word", iae,
                () -> Digits.read(new ByteArrayInputStream(digitsLine(1, "x").getBytes(StandardCharsets.US_ASCII)),
                        "w.csv"), "w.csv line 1", "'x' is not a number"));
        c.add(fails("files", "digits CSV empty", iae,
                () -> Digits.read(new ByteArrayInputStream(new byte[0]), "e.csv"), "e.csv holds no examples"));
        byte[] gz = gzip((digitsLine(1, "0") + digitsLine(2, "1")).getBytes(StandardCharsets.US_ASCII));
        c.add(fails("files", "digits CSV truncated gzip", iae,
                () -> Digits.read(new ByteArrayInputStream(Arrays.copyOf(gz, gz.length - 12)), "t.csv.gz"),
                "t.csv.gz", "truncated"));
        c.add(fails("files", "digits file missing", NoSuchFileException.class,
                () -> Digits.load(dir.resolve("absent.csv")), "absent.csv"));
        c.add(fails("files", "Fashion-MNIST folder missing", java.io.FileNotFoundException.class,
                () -> FashionMnist.load(dir.resolve("no-fmnist")), "no-fmnist", "fetch-fashion-mnist"));
        c.add(fails("files", "Fashion-MNIST subset size 0", iae, () -> FashionMnist.load(dir, 0, 10),
                "subset sizes must be at least 1"));

        // cli: exit code 2 and the usage for command-line mistakes, 1 for bad data; never a stack trace
        c.add(cli("unknown option", 2, words("unknown option '--frobnicate'", "usage:"), "--frobnicate"));
        c.add(cli("stray argument", 2, words("unexpected argument 'digits'"), "digits"));
        c.add(cli("l2 not a number", 2, words("--l2 expects a number >= 0, got \"abc\""), "--l2", "abc"));
        c.add(cli("seed without a value", 2, words("--seed needs a value"), "--seed"));
        c.add(cli("zero iterations on the command line", 2, words("--max-iterations expects a whole number >= 1", "\"0\""),
                "--max-iterations", "0"));
        c.add(cli("batch size without minibatch mode on the command line", 2, words("batchSize=64 has no effect in full mode", "minibatch"),
                "--batch-size", "64"));
        c.add(cli("unknown solver on the command line", 2, words("unknown solver 'lbfgs'"), "--solver", "lbfgs"));
        c.add(cli("test fraction of 1", 2, words("--test-fraction expects a number in (0, 1)"), "--test-fraction",
                "1"));
        Path missing = dir.resolve("missing.csv");
        c.add(cli("missing data file", 2, words("--data", missing.toString(), "does not exist"), "--data",
                missing.toString()));
        c.add(cli("data folder instead of file", 2, words("--data", "is not a regular file"), "--data",
                dir.toString()));
        Path shortLine = text("short.csv", "1,2,3\n");
        c.add(cli("data file with a short line", 1, words("--data: " + shortLine, "line 1", "expected 65"), "--data",
                shortLine.toString()));
        Path few = text("few.csv", digitsLine(1, "0") + digitsLine(2, "1") + digitsLine(3, "2"));
        c.add(cli("data file too small for the test fraction", 1, words("--data " + few, "--test-fraction",
                "leaves the test part empty"), "--data", few.toString()));
        Path cut = file("cut.csv.gz", Arrays.copyOf(gz, gz.length - 12));
        c.add(cli("truncated gzip data file", 1, words("--data", cut.toString(), "truncated"), "--data",
                cut.toString()));
        c.add(cli("unknown preset", 2, words("--preset expects tiny, quick or full", "huge"), "reproduce",
                "--preset", "huge", "--out", dir.resolve("out").toString()));
        c.add(cli("unknown experiment", 2, words("--only expects", "z"), "reproduce", "--only", "z"));
        c.add(cli("bench without a set", 2, words("bench needs --set"), "bench"));
        c.add(cli("bench with zero repeats", 2, words("--repeats expects a whole number >= 1"), "bench", "--set",
                "syn", "--repeats", "0"));
        Path noRace = dir.resolve("no-race");
        c.add(cli("bench data folder missing", 1, words(noRace.toString(), "--data expects the folder"), "bench",
                "--set", "syn", "--data", noRace.toString()));
        Path race = truncatedRaceSet();
        c.add(cli("bench race file truncated", 1, words("s_Xtr.f32"), "bench", "--set", "s", "--data",
                race.toString()));

        // misuse: the model, listeners, interruption, the Tribuo trainer's datasets
        SoftmaxModel model = new SoftmaxModel(new double[6], 2, 2);
        c.add(fails("misuse", "predict with the wrong feature count", iae, () -> model.predict(new double[5], 2),
                "expected 2 rows of 2 features, got 5 values"));
        c.add(fails("misuse", "predict on null", iae, () -> model.predict(null, 1), "x must not be null"));
        c.add(fails("misuse", "model with the wrong parameter count", iae, () -> new SoftmaxModel(new double[9], 2, 2),
                "expected k*(d+1) = 6 parameters, got 9"));
        c.add(fails("misuse", "model with one class", iae, () -> new SoftmaxModel(new double[3], 2, 1),
                "at least 2 classes"));
        c.add(fails("misuse", "model without parameters", iae, () -> new SoftmaxModel(null, 2, 2),
                "weights must not be null"));
        c.add(fails("misuse", "model with NaN parameters", iae,
                () -> new SoftmaxModel(new double[] {0, 0, 0, nan, 0, 0}, 2, 2), "finite parameters"));
        c.add(fails("misuse", "accuracy with fewer labels than rows", iae,
                () -> model.accuracy(new double[4], new int[1], 2), "got 1 labels for 2 rows"));
        c.add(fails("misuse", "model objective with a label beyond the model's classes", iae,
                () -> model.objective(new double[4], new int[] {0, 2}, 2, 1e-4), "label 2 of example 1",
                "outside [0, 2)"));
        c.add(fails("misuse", "model objective with negative l2", iae,
                () -> model.objective(new double[4], new int[] {0, 1}, 2, -1), "l2 must be a finite number >= 0"));
        c.add(fails("misuse", "null listener on an optimizer", iae, () -> new FgnOptimizer(raw()).addListener(null),
                "listener must not be null"));
        c.add(fails("misuse", "null listener on the plain-array trainer", iae,
                () -> new SoftmaxHeadTrainer(FgnOptions.defaults()).addListener(null), "listener must not be null"));
        c.add(fails("misuse", "null listener on the Tribuo trainer", iae, () -> new FGNTrainer(1e-4).addListener(null),
                "listener must not be null"));
        c.add(behaves("misuse", "a listener that throws ends the run with its own exception", () -> {
            Throwing listener = new Throwing();
            try {
                new FgnOptimizer(raw()).addListener(listener).optimize(small());
                fail("the listener's exception was swallowed");
            } catch (IllegalStateException e) {
                assertSame(listener.error, e);
            }
        }));
        c.add(behaves("misuse", "interrupting a run returns its iterate with INTERRUPTED", () -> {
            Thread.currentThread().interrupt();
            TrainingResult r;
            try {
                r = new FgnOptimizer(raw()).optimize(small());
            } finally {
                assertTrue(Thread.interrupted(), "the interrupt flag must stay set for the caller");
            }
            assertEquals(StopReason.INTERRUPTED, r.stopReason());
            assertTrue(Arrays.stream(r.weights()).allMatch(Double::isFinite));
        }));
        c.add(behaves("misuse", "interrupting a baseline returns INTERRUPTED", () -> {
            Thread.currentThread().interrupt();
            TrainingResult r;
            try {
                r = new Lbfgs(firstOrder()).optimize(small());
            } finally {
                assertTrue(Thread.interrupted(), "the interrupt flag must stay set for the caller");
            }
            assertEquals(StopReason.INTERRUPTED, r.stopReason());
        }));
        c.add(behaves("misuse", "a listener asking to stop ends the run at a step boundary", () -> {
            TrainingResult r = new FgnOptimizer(raw()).addListener(new TrainingListener() {
                int seen;

                @Override
                public void iterationFinished(IterationRecord record) {
                    seen++;
                }

                @Override
                public boolean stopRequested() {
                    return seen >= 1;
                }
            }).optimize(small());
            assertEquals(StopReason.STOPPED_BY_LISTENER, r.stopReason());
            assertEquals(1, r.iterations());
        }));
        c.add(behaves("misuse", "a diverging first-order run reports DIVERGED with its last finite iterate", () -> {
            TrainingResult r = new FirstOrderOptimizer(UpdateRule.momentum(0), FirstOrderOptions.builder()
                    .learningRate(1e8).maxIterations(50).threads(1).build()).optimize(small());
            assertEquals(StopReason.DIVERGED, r.stopReason());
            assertTrue(Arrays.stream(r.weights()).allMatch(Double::isFinite) && Double.isFinite(r.objective()));
        }));
        c.add(behaves("misuse", "training modifies nothing it was given", () -> {
            LabelledData data = new LabelledData(new double[] {1, 0, 2, 1, -1, 0.5, -2, 1}, new int[] {0, 1, 1, 0},
                    new double[] {1, 2, 0.5, 1}, 4, 2, 2);
            double[] x = data.features().clone();
            int[] y = data.labels().clone();
            double[] w = data.weights().clone();
            double[] start = {0.1, -0.2, 0.3, 0, 0.5, -0.5};
            double[] startCopy = start.clone();
            new SoftmaxHeadTrainer(FgnOptions.builder().threads(1).build()).fit(data);
            new FgnOptimizer(raw()).optimize(data, start);
            new Lbfgs(firstOrder()).optimize(data, start);
            assertArrayEquals(x, data.features());
            assertArrayEquals(y, data.labels());
            assertArrayEquals(w, data.weights());
            assertArrayEquals(startCopy, start);
        }));
        c.add(behaves("misuse", "reusing a listener records each run", () -> {
            NotebookProgress progress = new NotebookProgress(s -> { }, 0);
            FgnOptimizer fgn = new FgnOptimizer(raw()).addListener(progress);
            TrainingResult first = fgn.optimize(small());
            TrainingResult second = fgn.optimize(small());
            assertEquals(List.of(first, second), progress.results());
            assertArrayEquals(first.weights(), second.weights());
        }));
        c.add(fails("misuse", "Tribuo dataset with unknown labels", iae, () -> {
            MutableDataset<Label> ds = tribuo("x", "y", "x");
            ds.add(new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, new String[] {"a"}, new double[] {1}));
            new FGNTrainer(1e-4).train(ds);
        }, "unknown Outputs", "every example needs a label"));
        c.add(fails("misuse", "Tribuo dataset with an empty feature map", iae,
                () -> new FGNTrainer(1e-4).train(withoutFeatures(tribuo("x", "y", "x", "y"))), "no features"));
        c.add(fails("misuse", "Tribuo dataset that is empty", iae, () -> new FGNTrainer(1e-4).train(tribuo()),
                "the dataset is empty"));
        c.add(fails("misuse", "Tribuo dataset of one class", iae, () -> new FGNTrainer(1e-4).train(tribuo("x", "x")),
                "at least 2 classes", "add examples of another class"));
        c.add(fails("misuse", "Tribuo dataset with a NaN feature", iae, () -> {
            MutableDataset<Label> ds = tribuo("x", "y", "x");
            ds.getExample(2).set(new Feature("b", nan));
            new FGNTrainer(1e-4).train(ds);
        }, "example 2", "'b'", "impute"));
        c.add(fails("misuse", "Tribuo dataset with a negative weight", iae, () -> {
            MutableDataset<Label> ds = tribuo("x", "y", "x");
            ds.getExample(1).setWeight(-1f);
            new FGNTrainer(1e-4).train(ds);
        }, "weight of example 1"));
        c.add(fails("misuse", "Tribuo train on null", iae, () -> new FGNTrainer(1e-4).train(null),
                "examples must not be null"));
        c.add(fails("misuse", "Tribuo conversion of null data", iae, () -> TribuoData.toDataset(null, "d"),
                "data must not be null"));
        c.add(fails("misuse", "Tribuo conversion with too few class names", iae,
                () -> TribuoData.toDataset(small(), new String[] {"a"}, "d"), "classNames must hold 2 names"));
        // mapped features (bigger than the heap): the file and the data built on it
        Path good = mapped("good.f32m", 4, 3);
        c.add(fails("data", "truncated matrix file", iae, () -> MappedFloatFeatures.open(truncated("cut.f32m")),
                "truncated"));
        c.add(fails("data", "not a matrix file", iae, () -> MappedFloatFeatures.open(text("x.f32m", "x".repeat(40))),
                "not a FastGN float matrix file", "MappedFloatFeatures.Writer"));
        c.add(fails("data", "mapped labels of wrong length", iae,
                () -> LabelledData.mapped(MappedFloatFeatures.open(good), new int[3], null, 2), "got 3 labels for 4"));
        c.add(fails("data", "mapped data to a heap-only optimizer", iae, () -> new io.github.fastgn.baseline.Ogr(
                FirstOrderOptions.builder().build()).optimize(mappedData(good), null),
                "dense array in the heap", "memory-mapped", "toDense()"));
        c.add(fails("data", "mapped features() copy", IllegalStateException.class, () -> mappedData(good).features(),
                "not copied onto the heap", "toDense()"));
        return c;
    }

    private Path mapped(String name, int rows, int cols) throws IOException {
        Path f = dir.resolve(name);
        float[] x = new float[rows * cols];
        for (int t = 0; t < x.length; t++) {
            x[t] = t % 7 - 3;
        }
        MappedFloatFeatures.write(f, x, rows, cols);
        return f;
    }

    private Path truncated(String name) throws IOException {
        Path f = mapped(name, 4, 3);
        byte[] all = Files.readAllBytes(f);
        return file(name, Arrays.copyOf(all, all.length - 4));
    }

    private static LabelledData mappedData(Path f) throws IOException {
        return LabelledData.mapped(MappedFloatFeatures.open(f), new int[] {0, 1, 0, 1}, null, 2);
    }

    @TestFactory
    Stream<DynamicTest> battery() throws IOException {
        return cases().stream().map(k -> DynamicTest.dynamicTest(k.area() + ": " + k.name(), () -> k.check().run()));
    }

    @Test
    void atLeastSixtyDistinctCases() throws IOException {
        List<Case> all = cases();
        Set<String> names = new HashSet<>();
        Set<String> areas = new HashSet<>();
        for (Case k : all) {
            assertTrue(names.add(k.name()), "two cases are named " + k.name());
            areas.add(k.area());
        }
        assertTrue(all.size() >= 60, "only " + all.size() + " cases");
        assertEquals(Set.of("data", "options", "files", "cli", "misuse"), areas);
    }
}
