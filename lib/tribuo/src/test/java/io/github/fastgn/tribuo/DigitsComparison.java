package io.github.fastgn.tribuo;

import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.data.Digits;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.data.Splits;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.provenance.ModelProvenance;

import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A measurement, not a unit test: on the digits 80/20 split (seed 42), compares FGN (full batch),
 * damped Newton (solver "newton") and Tribuo's {@link LogisticRegressionTrainer} on the training
 * objective {@code mean CE + 1e-4/2 ||W_std||^2} (W of the standardised features, as the FGN core
 * reports it), iterations, training time and test accuracy. Each trainer runs
 * {@code repeats} times (first argument, default 5) and the median time is reported; a second
 * argument, a comma-separated list of solver names, adds full-batch rows for those solvers.
 *
 * <p>Run with {@code mvn -q -pl lib/tribuo -am test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.github.fastgn.tribuo.DigitsComparison}.
 */
public final class DigitsComparison {

    private static final Logger QUIET = Logger.getLogger("org.tribuo");
    private static final Logger QUIET_FGN = Logger.getLogger("io.github.fastgn");
    private static final double L2 = 1e-4;

    private DigitsComparison() {
    }

    public static void main(String[] args) {
        QUIET.setLevel(Level.WARNING);
        QUIET_FGN.setLevel(Level.WARNING);
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Splits.Split split = Splits.stratified(Digits.load(), 0.2, 42L);
        String[] classes = TribuoData.classNames(10);
        String[] features = TribuoData.featureNames("px", 64);
        MutableDataset<Label> train = TribuoData.toDataset(split.train(), classes, features, "digits train");
        MutableDataset<Label> test = TribuoData.toDataset(split.test(), classes, features, "digits test");
        LabelledData raw = split.train();

        System.out.printf(Locale.ROOT, "digits: %d train, %d test, %d features, %d classes; l2 = %g on the "
                + "standardised weights; median of %d runs%n", train.size(), test.size(), raw.featureCount(),
                raw.classCount(), L2, repeats);
        System.out.printf(Locale.ROOT, "%-40s %-18s %-10s %-18s %-10s %-9s%n", "trainer", "objective", "iters",
                "stop", "time [ms]", "test acc");
        report("FGN full batch (auto)", new FGNTrainer(L2), train, test, raw, repeats);
        report("Newton (solver newton)", new FGNTrainer(L2, "full", 500, "newton", Trainer.DEFAULT_SEED), train,
                test, raw, repeats);
        // optional second argument: concrete solver names to time as well (direct solvers are slow here)
        for (String solver : args.length > 1 ? args[1].split(",") : new String[0]) {
            report("full batch, solver " + solver, new FGNTrainer(FgnOptions.builder().l2(L2).solver(solver).build()), train, test,
                    raw, repeats);
        }
        report("FGN minibatch B=256", new FGNTrainer(FgnOptions.builder().l2(L2).mode(FgnOptions.Mode.MINIBATCH).batchSize(256)
                .maxIterations(500).build()), train, test, raw, repeats);
        report("Tribuo LogisticRegressionTrainer", new LogisticRegressionTrainer(), train, test, raw, repeats);
    }

    private static void report(String name, Trainer<Label> trainer, Dataset<Label> train, Dataset<Label> test,
                               LabelledData raw, int repeats) {
        long[] nanos = new long[repeats];
        Model<Label> model = null;
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            // invocation 0 every time: the same model (and the same mini-batch seed) in each repeat
            model = trainer.train(train, java.util.Collections.emptyMap(), 0);
            nanos[r] = System.nanoTime() - t0;
        }
        java.util.Arrays.sort(nanos);
        double ms = nanos[repeats / 2] * 1e-6;
        LinearSGDModel linear = (LinearSGDModel) model;
        double objective = objective(linear, train, raw);
        double accuracy = new LabelEvaluator().evaluate(model, test).accuracy();
        ModelProvenance prov = model.getProvenance();
        Object iterations = prov.getInstanceProvenance().getMap().get(FGNTrainer.ITERATIONS);
        Object stop = prov.getInstanceProvenance().getMap().get(FGNTrainer.STOP_REASON);
        String its = iterations == null ? "5 epochs" : iterations.toString().replaceAll(".*=", "");
        String reason = stop == null ? "-" : stop.toString().replaceAll(".*=", "");
        Object reported = prov.getInstanceProvenance().getMap().get(FGNTrainer.FINAL_OBJECTIVE);
        Object solver = prov.getInstanceProvenance().getMap().get(FGNTrainer.SOLVER);
        System.out.printf(Locale.ROOT, "%-40s %-18.12f %-10s %-18s %-10.1f %-9.4f%s%n", name, objective, its, reason,
                ms, accuracy, reported == null ? "" : "  (solver " + value(solver) + ", core objective "
                        + value(reported) + ")");
    }

    private static String value(Object provenance) {
        return provenance.toString().replaceAll(".*=", "");
    }

    /**
     * Mean training cross-entropy from the model's own predicted probabilities plus
     * {@code l2/2 ||W_std||^2}, where {@code W_std = W_raw * scale} with the population
     * standard deviation of each training feature (as the core's standardiser computes it).
     */
    private static double objective(LinearSGDModel model, Dataset<Label> train, LabelledData raw) {
        List<Prediction<Label>> predictions = model.predict(train);
        double ce = 0;
        int i = 0;
        for (Prediction<Label> p : predictions) {
            String truth = train.getExample(i).getOutput().getLabel();
            ce -= Math.log(p.getOutputScores().get(truth).getScore());
            i++;
        }
        ce /= predictions.size();
        double[] scale = io.github.fastgn.data.Standardizer.fit(raw.features(), raw.size(), raw.featureCount())
                .scale();
        DenseMatrix w = (DenseMatrix) model.getWeightsCopy();
        double norm = 0;
        for (int c = 0; c < w.getDimension1Size(); c++) {
            for (int j = 0; j < w.getDimension2Size() - 1; j++) {
                // feature id j is column j (names px00..px63 sort in column order)
                double ws = w.get(c, j) * scale[j];
                norm += ws * ws;
            }
        }
        return ce + 0.5 * L2 * norm;
    }
}
