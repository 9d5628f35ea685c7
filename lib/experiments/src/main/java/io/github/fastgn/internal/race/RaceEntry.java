package io.github.fastgn.internal.race;

import io.github.fastgn.SoftmaxHeadTrainer;
import io.github.fastgn.SoftmaxObjective;
import io.github.fastgn.data.CsrFeatures;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.data.Svmlight;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.StopReason;
import io.github.fastgn.optim.TrainingListener;
import io.github.fastgn.optim.TrainingResult;
import io.github.fastgn.tribuo.FGNTrainer;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.VariableInfo;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.datasource.LibSVMDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A public entry point of FastGN as a user calls it, trained on a race set: each builds its own
 * data from the race arrays (timed apart, as the conversion), trains with the given options (timed)
 * and scores the model on the test set. On an svmlight set ({@link RaceData#isSvmlight()}) the
 * conversion is reading the training file: {@link Svmlight} into CSR for the plain-array API, Tribuo's
 * {@link LibSVMDataSource} for the Tribuo trainers.
 */
public enum RaceEntry {

    /** {@link SoftmaxHeadTrainer} on {@link LabelledData#ofFloat float features}: the plain-array API. */
    ARRAYS("fastgn-arrays") {
        @Override
        RaceRunner.Run run(RaceData data, double fstar, FgnOptions options, List<TrainingListener> listeners) {
            if (data.isSvmlight()) {
                return sparseArrays(data, fstar, options, listeners);
            }
            long t0 = System.nanoTime();
            LabelledData train = LabelledData.ofFloat(data.trainFeatures(), data.trainLabels(), null,
                    data.trainSize(), data.featureCount(), data.classCount());
            long t1 = System.nanoTime();
            SoftmaxHeadTrainer trainer = new SoftmaxHeadTrainer(options);
            listeners.forEach(trainer::addListener);
            SoftmaxHeadTrainer.Fit fit = trainer.fit(train);
            long t2 = System.nanoTime();
            double acc = RaceRunner.accuracy(fit.model().weights(), data.testFeatures(), data.testLabels(),
                    data.testSize(), data.featureCount(), data.classCount());
            return outcome(fit.training(), (t2 - t1) * 1e-9, (t1 - t0) * 1e-9, fstar, acc);
        }
    },

    /**
     * {@link FGNTrainer} on a Tribuo {@link MutableDataset} of dense {@link ArrayExample}s (features
     * {@code f0..}, labels {@code "0".."K-1"}) built from the same arrays, or read by
     * {@link LibSVMDataSource} from an svmlight set's file: the Tribuo API.
     */
    TRIBUO("fastgn-tribuo") {
        @Override
        RaceRunner.Run run(RaceData data, double fstar, FgnOptions options, List<TrainingListener> listeners) {
            long t0 = System.nanoTime();
            String[] names = data.isSvmlight() ? null : featureNames(data.featureCount());
            MutableDataset<Label> train = tribuoTrain(data, names);
            long t1 = System.nanoTime();
            FGNTrainer trainer = new FGNTrainer(options);
            listeners.forEach(trainer::addListener);
            TrainingResult[] result = new TrainingResult[1];
            trainer.addListener(new TrainingListener() {
                @Override
                public void trainingFinished(TrainingResult r) {
                    result[0] = r;
                }
            });
            LinearSGDModel model = trainer.train(train);
            long t2 = System.nanoTime();
            return outcome(result[0], (t2 - t1) * 1e-9, (t1 - t0) * 1e-9, fstar, tribuoAccuracy(model, data, names));
        }
    },

    /**
     * A peer, not FastGN: Tribuo's own {@link LogisticRegressionTrainer} at its defaults (AdaGrad SGD,
     * 5 epochs, no L2 term) on the same Tribuo dataset as {@link #TRIBUO}. Its model is scored under the
     * race objective (the L2 term included) on the training set; as an SGD run with a fixed epoch budget
     * and no L2 it is not expected to reach the target, and is reported with its gap.
     */
    TRIBUO_LOGISTIC("tribuo-logistic") {
        @Override
        RaceRunner.Run run(RaceData data, double fstar, FgnOptions options, List<TrainingListener> listeners) {
            long t0 = System.nanoTime();
            String[] names = data.isSvmlight() ? null : featureNames(data.featureCount());
            MutableDataset<Label> train = tribuoTrain(data, names);
            long t1 = System.nanoTime();
            LogisticRegressionTrainer trainer = new LogisticRegressionTrainer();
            LinearSGDModel model = trainer.train(train);
            long t2 = System.nanoTime();
            double objective = raceObjective(model, train, data.featureCount(), data.classCount(), options.l2());
            boolean hit = objective <= RaceConfig.target(fstar);
            return new RaceRunner.Run((t2 - t1) * 1e-9, (t1 - t0) * 1e-9, EPOCHS, EPOCHS, objective,
                    (objective - fstar) / fstar, tribuoAccuracy(model, data, names),
                    hit ? StopReason.TARGET_REACHED : StopReason.MAX_ITERATIONS);
        }

        @Override
        String setting(FgnOptions options) {
            return "LogisticRegressionTrainer() defaults: AdaGrad(lr=1.0,eps=0.1),epochs=" + EPOCHS + ",minibatch=1,no l2;"
                    + "scored with l2=" + options.l2();
        }
    };

    /** The epochs of {@link LogisticRegressionTrainer}'s default constructor (Tribuo 4.3). */
    static final int EPOCHS = 5;

    private static final LabelFactory LABELS = new LabelFactory();

    private final String peer;

    RaceEntry(String peer) {
        this.peer = peer;
    }

    /** The compact setting of the RESULT line: the FastGN options a race sets. */
    String setting(FgnOptions options) {
        return RaceRunner.setting(options);
    }

    /** The peer name in the RESULT lines. */
    public String peer() {
        return peer;
    }

    /** One run: conversion, training to the target with {@code options}, test accuracy. */
    abstract RaceRunner.Run run(RaceData data, double fstar, FgnOptions options, List<TrainingListener> listeners);

    /** The entry whose {@link #peer()} or lower-case name is {@code name}. */
    public static RaceEntry of(String name) {
        for (RaceEntry e : values()) {
            if (e.peer.equals(name) || e.name().equalsIgnoreCase(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown entry point \"" + name + "\"; use arrays, tribuo or "
                + "tribuo-logistic");
    }

    /**
     * The plain-array API on an svmlight set: {@link Svmlight#read} into float CSR (the file's values are
     * float32 numbers, held exactly) and {@link LabelledData#sparse}, timed as the conversion.
     */
    private static RaceRunner.Run sparseArrays(RaceData data, double fstar, FgnOptions options,
                                               List<TrainingListener> listeners) {
        long t0 = System.nanoTime();
        Svmlight.Data file = readSvmlight(data, data.trainFile());
        LabelledData train = LabelledData.sparse(file.features(), classes(file, data), null, data.classCount());
        long t1 = System.nanoTime();
        SoftmaxHeadTrainer trainer = new SoftmaxHeadTrainer(options);
        listeners.forEach(trainer::addListener);
        SoftmaxHeadTrainer.Fit fit = trainer.fit(train);
        long t2 = System.nanoTime();
        Svmlight.Data test = readSvmlight(data, data.testFile());
        double acc = RaceRunner.accuracy(fit.model().weights(), test.features(), classes(test, data),
                data.classCount());
        return outcome(fit.training(), (t2 - t1) * 1e-9, (t1 - t0) * 1e-9, fstar, acc);
    }

    private static Svmlight.Data readSvmlight(RaceData data, java.nio.file.Path file) {
        try {
            return Svmlight.read(file, data.zeroBased() ? Svmlight.IndexBase.ZERO : Svmlight.IndexBase.ONE,
                    data.featureCount(), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The class of each row: the file's label values, which the race sets write as {@code 0 .. K-1}. */
    private static int[] classes(Svmlight.Data file, RaceData data) {
        int[] y = new int[file.labels().length];
        for (int i = 0; i < y.length; i++) {
            double v = file.classValues()[file.labels()[i]];
            if (v != Math.rint(v) || v < 0 || v >= data.classCount()) {
                throw new IllegalArgumentException("set " + data.name() + ": label " + v + " of row " + i
                        + " is not a class in [0, K=" + data.classCount() + "); " + RaceData.HOW_TO_CREATE);
            }
            y[i] = (int) v;
        }
        return y;
    }

    /** The training set as a Tribuo dataset: dense examples of the arrays, or the svmlight file. */
    private static MutableDataset<Label> tribuoTrain(RaceData data, String[] names) {
        return data.isSvmlight() ? libsvm(data, data.trainFile())
                : dataset(data.name(), data.trainFeatures(), data.trainLabels(), names);
    }

    /** {@link LibSVMDataSource} with the set's index base and column count, as a user reading the file would. */
    private static MutableDataset<Label> libsvm(RaceData data, java.nio.file.Path file) {
        try {
            return new MutableDataset<>(new LibSVMDataSource<>(file, LABELS, data.zeroBased(),
                    data.featureCount() - (data.zeroBased() ? 1 : 0)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double tribuoAccuracy(LinearSGDModel model, RaceData data, String[] names) {
        if (!data.isSvmlight()) {
            return accuracy(model, data.testFeatures(), data.testLabels(), names);
        }
        if (data.testSize() == 0) {
            return Double.NaN;
        }
        return new LabelEvaluator().evaluate(model, libsvm(data, data.testFile())).accuracy();
    }

    /**
     * The race objective of a Tribuo model on its training dataset: the model's weights mapped onto the
     * race columns (the feature names are the column numbers, after a letter prefix on the dense sets)
     * and classes (the label names), evaluated by {@link SoftmaxObjective} on the dataset's examples
     * as sparse rows.
     */
    static double raceObjective(LinearSGDModel model, MutableDataset<Label> train, int d, int k, double l2) {
        int[] column = new int[model.getFeatureIDMap().size()];
        for (VariableInfo f : model.getFeatureIDMap()) {
            column[model.getFeatureIDMap().getID(f.getName())] = column(f.getName());
        }
        DenseMatrix w = model.getWeightsCopy();
        int bias = column.length;
        double[] params = new double[k * (d + 1)];
        for (var label : model.getOutputIDInfo()) {
            int c = Integer.parseInt(label.getB().getLabel());
            for (int j = 0; j < bias; j++) {
                params[c * (d + 1) + column[j]] = w.get(label.getA(), j);
            }
            params[c * (d + 1) + d] = w.get(label.getA(), bias);
        }
        int n = train.size();
        long stored = 0;
        for (Example<Label> ex : train) {
            stored += ex.size();
        }
        int[] rowStart = new int[n + 1];
        int[] columns = new int[Math.toIntExact(stored)];
        double[] values = new double[columns.length];
        int[] y = new int[n];
        int i = 0;
        int t = 0;
        for (Example<Label> ex : train) {
            y[i] = Integer.parseInt(ex.getOutput().getLabel());
            int start = t;
            for (Feature f : ex) {
                columns[t] = column(f.getName());
                values[t++] = f.getValue();
            }
            // Tribuo sorts an example's features by name, which is not the column order for unpadded numbers
            sortRow(columns, values, start, t);
            rowStart[++i] = t;
        }
        LabelledData rows = LabelledData.sparse(CsrFeatures.of(rowStart, columns, values, n, d), y, null, k);
        return new SoftmaxObjective(rows, l2).evaluate(params, null);
    }

    private static int column(String featureName) {
        int start = 0;
        while (start < featureName.length() && !Character.isDigit(featureName.charAt(start))) {
            start++;
        }
        return Integer.parseInt(featureName.substring(start));
    }

    /** Insertion sort of one CSR row by column (rows hold tens of values). */
    private static void sortRow(int[] columns, double[] values, int from, int to) {
        for (int a = from + 1; a < to; a++) {
            int c = columns[a];
            double v = values[a];
            int b = a - 1;
            while (b >= from && columns[b] > c) {
                columns[b + 1] = columns[b];
                values[b + 1] = values[b];
                b--;
            }
            columns[b + 1] = c;
            values[b + 1] = v;
        }
    }

    private static RaceRunner.Run outcome(TrainingResult r, double seconds, double convertSeconds, double fstar,
                                      double accuracy) {
        return new RaceRunner.Run(seconds, convertSeconds, r.iterations(), r.dataPasses(), r.objective(),
                (r.objective() - fstar) / fstar, accuracy, r.stopReason());
    }

    private static String[] featureNames(int d) {
        String[] names = new String[d];
        int width = Integer.toString(d - 1).length();
        for (int j = 0; j < d; j++) {
            // zero-padded, so Tribuo's sorted feature domain keeps the column order
            names[j] = String.format(java.util.Locale.ROOT, "f%0" + width + "d", j);
        }
        return names;
    }

    private static ArrayExample<Label> example(Label label, float[] x, int row, String[] names) {
        int d = names.length;
        double[] values = new double[d];
        for (int j = 0; j < d; j++) {
            values[j] = x[row * d + j];
        }
        return new ArrayExample<>(label, names, values);
    }

    private static Label[] labels(int k) {
        Label[] labels = new Label[k];
        for (int c = 0; c < k; c++) {
            labels[c] = new Label(Integer.toString(c));
        }
        return labels;
    }

    static MutableDataset<Label> dataset(String name, float[] x, int[] y, String[] names) {
        Label[] labels = labels(java.util.Arrays.stream(y).max().orElse(0) + 1);
        MutableDataset<Label> ds = new MutableDataset<>(new SimpleDataSourceProvenance("race set " + name, LABELS),
                LABELS);
        for (int i = 0; i < y.length; i++) {
            ds.add(example(labels[y[i]], x, i, names));
        }
        return ds;
    }

    private static double accuracy(LinearSGDModel model, float[] x, int[] y, String[] names) {
        if (y.length == 0) {
            return Double.NaN;
        }
        Label[] labels = labels(java.util.Arrays.stream(y).max().orElse(0) + 1);
        long correct = 0;
        for (int i = 0; i < y.length; i++) {
            Example<Label> ex = example(labels[y[i]], x, i, names);
            Prediction<Label> p = model.predict(ex);
            if (p.getOutput().getLabel().equals(labels[y[i]].getLabel())) {
                correct++;
            }
        }
        return correct / (double) y.length;
    }
}
