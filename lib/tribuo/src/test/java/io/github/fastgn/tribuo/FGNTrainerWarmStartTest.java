package io.github.fastgn.tribuo;

import com.oracle.labs.mlrg.olcut.provenance.primitives.DoubleProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.testing.Check;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.ImmutableDataset;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FGNTrainer#train(Dataset, LinearSGDModel)}: a warm start from a Tribuo model reaches the
 * cold optimum; the start is matched to the dataset by feature and label name; other domains are
 * rejected naming what differs; the start is in the provenance.
 */
@ExtendWith(TestSupport.NoConsoleOutput.class)
class FGNTrainerWarmStartTest {

    /** Tolerance 1e-10: runs end on the stall rule, at the optimum to rounding. */
    private static FGNTrainer trainer() {
        return trainer(1e-10);
    }

    private static FGNTrainer trainer(double tolerance) {
        return new FGNTrainer(FgnOptions.builder().l2(1e-3).tolerance(tolerance).threads(1).build());
    }

    private static double objective(LinearSGDModel m) {
        return ((DoubleProvenance) m.getProvenance().getInstanceProvenance().getMap().get(FGNTrainer.FINAL_OBJECTIVE))
                .getValue();
    }

    private static String instance(LinearSGDModel m, String key) {
        return String.valueOf(m.getProvenance().getInstanceProvenance().getMap().get(key));
    }

    @Test
    void aWarmStartFromTribuosLogisticRegressionReachesTheColdOptimum() {
        MutableDataset<Label> train = TestSupport.digitsTrain();
        LinearSGDModel sgd = (LinearSGDModel) new LogisticRegressionTrainer().train(train);
        LinearSGDModel cold = trainer().train(train);
        LinearSGDModel warm = trainer().train(train, sgd);
        double rel = Math.abs(objective(warm) - objective(cold)) / objective(cold);
        assertTrue(rel <= 1e-8, "warm " + objective(warm) + " cold " + objective(cold) + " rel " + rel);
        assertTrue(instance(warm, FGNTrainer.INITIAL_MODEL).contains("LogisticRegressionTrainer"),
                instance(warm, FGNTrainer.INITIAL_MODEL));
        assertEquals("null", instance(cold, FGNTrainer.INITIAL_MODEL));
        // the start was used: its first iterate differs from a cold start's
        FGNTrainer one = new FGNTrainer(FgnOptions.builder().l2(1e-3).maxIterations(1).threads(1).build());
        assertNotEquals(objective(one.train(train)), objective(one.train(train, sgd)));
    }

    /**
     * The digits split with its labels numbered in reverse and each example's features listed in
     * another order: the same (name, value) pairs, other ids.
     */
    private static Dataset<Label> renumbered(MutableDataset<Label> data) {
        LabelledData arrays = TestSupport.digitsTrainArrays();
        int d = arrays.featureCount();
        int[] perm = new int[d];
        for (int j = 0; j < d; j++) {
            perm[j] = (j * 29 + 7) % d;
        }
        String[] names = TribuoData.featureNames("px", d);
        String[] shuffledNames = new String[d];
        double[] x = arrays.features();
        double[] shuffled = new double[x.length];
        for (int j = 0; j < d; j++) {
            shuffledNames[j] = names[perm[j]];
            for (int i = 0; i < arrays.size(); i++) {
                shuffled[i * d + j] = x[i * d + perm[j]];
            }
        }
        LabelledData columns = new LabelledData(shuffled, arrays.labels(), null, arrays.size(), d,
                arrays.classCount());
        MutableDataset<Label> same = TribuoData.toDataset(columns, TribuoData.classNames(10), shuffledNames,
                "digits train, features listed in another order");
        Map<Label, Integer> ids = new HashMap<>();
        ImmutableOutputInfo<Label> original = data.getOutputIDInfo();
        for (int c = 0; c < original.size(); c++) {
            ids.put(original.getOutput(c), original.size() - 1 - c);
        }
        ImmutableOutputInfo<Label> reversed = new LabelFactory().constructInfoForExternalModel(ids);
        return ImmutableDataset.copyDataset(same, same.getFeatureIDMap(), reversed);
    }

    @Test
    void aStartIsMatchedByFeatureAndLabelNameNotById() {
        MutableDataset<Label> train = TestSupport.digitsTrain();
        // the default tolerance: the run ends on the gradient test, which a start at its end passes at once
        LinearSGDModel first = trainer(1e-6).train(train);
        Dataset<Label> other = renumbered(train);
        assertNotEquals(train.getOutputIDInfo().getID(new Label("0")), other.getOutputIDInfo().getID(new Label("0")));
        // the weights as read for the other numbering are the model's rows, permuted by label name
        double[] mapped = LinearModels.weightsOn(first, other.getFeatureIDMap(), other.getOutputIDInfo());
        double[] own = TestSupport.weights(first);
        int dd = train.getFeatureIDMap().size() + 1;
        for (int c = 0; c < 10; c++) {
            int from = first.getOutputIDInfo().getID(other.getOutputIDInfo().getOutput(c));
            for (int j = 0; j < dd; j++) {
                int column = j < dd - 1 ? first.getFeatureIDMap().getID(other.getFeatureIDMap().get(j).getName()) : j;
                assertEquals(own[from * dd + column], mapped[c * dd + j], 0.0);
            }
        }
        // starting from the optimum on the renumbered data: no step needed, the same predictions
        LinearSGDModel again = trainer(1e-6).train(other, first);
        assertEquals(0, ((IntProvenance) again.getProvenance().getInstanceProvenance().getMap()
                .get(FGNTrainer.ITERATIONS)).getValue());
        LinearSGDModel cold = trainer(1e-6).train(other);
        Check.close(objective(cold), objective(again), 1e-8, "objective on the renumbered data");
        for (Example<Label> ex : TestSupport.digitsTest()) {
            Prediction<Label> p = first.predict(ex);
            Prediction<Label> q = again.predict(ex);
            assertEquals(p.getOutput().getLabel(), q.getOutput().getLabel());
            for (String l : p.getOutputScores().keySet()) {
                assertEquals(p.getOutputScores().get(l).getScore(), q.getOutputScores().get(l).getScore(), 1e-7, l);
            }
        }
    }

    @Test
    void aStartOnOtherDomainsIsRejectedNamingTheDifference() {
        MutableDataset<Label> small = TestSupport.smallDigits();
        LinearSGDModel model = trainer().train(small);
        LabelledData arrays = TestSupport.digitsTrainArrays();
        String[] names = TribuoData.featureNames("px", 64);
        names[5] = "renamed";
        MutableDataset<Label> otherFeatures = TribuoData.toDataset(arrays, TribuoData.classNames(10), names, "renamed");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer().train(otherFeatures, model));
        assertTrue(e.getMessage().contains("lacks 1 feature(s) of the dataset ('renamed')")
                && e.getMessage().contains("has 1 feature(s) the dataset does not ('px05')"), e.getMessage());
        String[] classes = TribuoData.classNames(10);
        classes[3] = "three";
        MutableDataset<Label> otherLabels = TribuoData.toDataset(arrays, classes, TribuoData.featureNames("px", 64),
                "renamed label");
        e = assertThrows(IllegalArgumentException.class, () -> trainer().train(otherLabels, model));
        assertTrue(e.getMessage().contains("label domain") && e.getMessage().contains("'three'")
                && e.getMessage().contains("'3'"), e.getMessage());
        int before = trainer().getInvocationCount();
        FGNTrainer t = trainer();
        assertThrows(IllegalArgumentException.class, () -> t.train(otherLabels, model));
        assertEquals(before, t.getInvocationCount(), "a rejected start does not consume an invocation");
        assertArrayEquals(TestSupport.weights(model), TestSupport.weights(trainer().train(small)), 0.0);
    }
}
