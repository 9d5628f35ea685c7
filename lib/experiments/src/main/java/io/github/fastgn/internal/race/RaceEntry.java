package io.github.fastgn.internal.race;

import io.github.fastgn.SoftmaxHeadTrainer;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.TrainingListener;
import io.github.fastgn.optim.TrainingResult;
import io.github.fastgn.tribuo.FGNTrainer;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.util.List;

/**
 * A public entry point of FastGN as a user calls it, trained on a race set: each builds its own
 * data from the race arrays (timed apart, as the conversion), trains with the given options (timed)
 * and scores the model on the test set.
 */
public enum RaceEntry {

    /** {@link SoftmaxHeadTrainer} on {@link LabelledData#ofFloat float features}: the plain-array API. */
    ARRAYS("fastgn-arrays") {
        @Override
        RaceRunner.Run run(RaceData data, double fstar, FgnOptions options, List<TrainingListener> listeners) {
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
     * {@code f0..}, labels {@code "0".."K-1"}) built from the same arrays: the Tribuo API.
     */
    TRIBUO("fastgn-tribuo") {
        @Override
        RaceRunner.Run run(RaceData data, double fstar, FgnOptions options, List<TrainingListener> listeners) {
            long t0 = System.nanoTime();
            String[] names = featureNames(data.featureCount());
            MutableDataset<Label> train = dataset(data.name(), data.trainFeatures(), data.trainLabels(), names);
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
            return outcome(result[0], (t2 - t1) * 1e-9, (t1 - t0) * 1e-9, fstar,
                    accuracy(model, data.testFeatures(), data.testLabels(), names));
        }
    };

    private static final LabelFactory LABELS = new LabelFactory();

    private final String peer;

    RaceEntry(String peer) {
        this.peer = peer;
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
        throw new IllegalArgumentException("unknown entry point \"" + name + "\"; use arrays or tribuo");
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
