package io.github.fastgn.tribuo;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DoubleProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.testing.Check;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Class weighting on {@link FGNTrainer}: explicit label weights ({@code WeightedLabels}) against the
 * reference of replicated examples, the {@code classWeight=balanced} option against a hand count, the
 * provenance, and bad weights.
 */
@ExtendWith(TestSupport.NoConsoleOutput.class)
class FGNTrainerClassWeightTest {

    private static final String[] CLASSES = {"a", "b", "c"};

    /** 60 examples of three classes (30, 20, 10) with four features. */
    private static LabelledData arrays() {
        java.util.Random rnd = new java.util.Random(11);
        int n = 60;
        double[] x = new double[n * 4];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i < 30 ? 0 : i < 50 ? 1 : 2;
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = (j == y[i] ? 1.5 : 0.0) + rnd.nextGaussian();
            }
        }
        return new LabelledData(x, y, null, n, 4, 3);
    }

    /** Every example of class {@code c} repeated {@code times[c]} times. */
    private static LabelledData replicated(LabelledData data, int[] times) {
        int[] index = java.util.stream.IntStream.range(0, data.size())
                .flatMap(i -> java.util.stream.IntStream.generate(() -> i).limit(times[data.labels()[i]]))
                .toArray();
        return data.subset(index);
    }

    private static MutableDataset<Label> dataset(LabelledData data) {
        return TribuoData.toDataset(data, CLASSES, "three classes");
    }

    private static FgnOptions.Builder options() {
        return FgnOptions.builder().l2(1e-2).tolerance(1e-10).threads(1).standardize(false);
    }

    private static double objective(LinearSGDModel m) {
        return ((DoubleProvenance) m.getProvenance().getInstanceProvenance().getMap().get(FGNTrainer.FINAL_OBJECTIVE))
                .getValue();
    }

    private static String classWeights(LinearSGDModel m) {
        return ((StringProvenance) m.getProvenance().getInstanceProvenance().getMap().get(FGNTrainer.CLASS_WEIGHTS))
                .getValue();
    }

    @Test
    void labelWeightsTrainTheOptimumOfReplicatedExamples() {
        LabelledData data = arrays();
        FGNTrainer weighted = new FGNTrainer(options().build());
        weighted.setLabelWeights(Map.of(new Label("b"), 3f, new Label("c"), 2f)); // "a" weighs 1
        LinearSGDModel w = weighted.train(dataset(data));
        LinearSGDModel copies = new FGNTrainer(options().build()).train(dataset(replicated(data, new int[]{1, 3, 2})));
        Check.close(objective(copies), objective(w), 1e-10, "objective");
        Check.close(Check.centredBiases(TestSupport.weights(copies), 3, 4),
                Check.centredBiases(TestSupport.weights(w), 3, 4), 1e-4, "weights");
        assertEquals("a=1.0, b=3.0, c=2.0", classWeights(w), "class weights in the provenance");
        // the trainer provenance holds the label weights: a trainer rebuilt from it trains the same model
        List<ConfigurationData> configs = ProvenanceUtil.extractConfiguration(
                w.getProvenance().getTrainerProvenance());
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(configs);
        FGNTrainer rebuilt = (FGNTrainer) cm.lookup(configs.get(0).getName());
        assertEquals(Map.of("b", 3f, "c", 2f), rebuilt.labelWeights());
        assertArrayEquals(TestSupport.weights(w), TestSupport.weights(rebuilt.train(dataset(data))), 0.0);
        TestSupport.testConfigurableRoundtrip(weighted);
        assertTrue(weighted.toString().endsWith(",labelWeights={b=3.0, c=2.0})"), weighted.toString());
    }

    @Test
    void theBalancedOptionWeightsByTheHandCount() {
        // 30, 20, 10 examples: 60 / (3 * count) = 2/3, 1, 2, i.e. 2 : 3 : 6 as replicated examples
        LabelledData data = arrays();
        LinearSGDModel balanced = new FGNTrainer(options().classWeight("balanced").build()).train(dataset(data));
        assertEquals("a=" + 60.0 / 90 + ", b=1.0, c=2.0", classWeights(balanced));
        LinearSGDModel copies = new FGNTrainer(options().build()).train(dataset(replicated(data, new int[]{2, 3, 6})));
        Check.close(objective(copies), objective(balanced), 1e-10, "objective");
        Check.close(Check.centredBiases(TestSupport.weights(copies), 3, 4),
                Check.centredBiases(TestSupport.weights(balanced), 3, 4), 1e-4, "weights");
        // unweighted runs record none
        assertEquals(null, new FGNTrainer(options().build()).train(dataset(data)).getProvenance()
                .getInstanceProvenance().getMap().get(FGNTrainer.CLASS_WEIGHTS));
    }

    @Test
    void badLabelWeightsAreRejectedNamingTheLabel() {
        FGNTrainer t = new FGNTrainer(options().build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.setLabelWeights(Map.of(new Label("b"), -1f)));
        assertTrue(e.getMessage().contains("label 'b'") && e.getMessage().contains(">= 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.setLabelWeights(Map.of(new Label("c"), Float.NaN)));
        assertTrue(e.getMessage().contains("label 'c'") && e.getMessage().contains("finite"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.setLabelWeights(null));
        t.setLabelWeights(Map.of(new Label("z"), 2f));
        e = assertThrows(IllegalArgumentException.class, () -> t.train(dataset(arrays())));
        assertTrue(e.getMessage().contains("'z'") && e.getMessage().contains("output domain"), e.getMessage());
        assertEquals(0, t.getInvocationCount(), "a rejected run does not consume an invocation");
        t.setLabelWeights(Map.of(new Label("a"), 0f, new Label("b"), 0f, new Label("c"), 0f));
        e = assertThrows(IllegalArgumentException.class, () -> t.train(dataset(arrays())));
        assertTrue(e.getMessage().contains("all 3 class weights are zero"), e.getMessage());
        FGNTrainer balanced = new FGNTrainer(options().classWeight("balanced").build());
        e = assertThrows(IllegalArgumentException.class, () -> balanced.setLabelWeights(Map.of(new Label("a"), 2f)));
        assertTrue(e.getMessage().contains("classWeight=balanced"), e.getMessage());
        // from a configuration: the field is named in the PropertyException
        ConfigurationManager cm = new ConfigurationManager("/io/github/fastgn/tribuo/bad-configs.xml");
        PropertyException p = assertThrows(PropertyException.class, () -> cm.lookup("negative-label-weight"));
        assertEquals("labelWeights", p.getProperty());
        p = assertThrows(PropertyException.class, () -> cm.lookup("unknown-class-weight"));
        assertEquals("classWeight", p.getProperty());
        assertTrue(p.getMessage().contains("\"none\" or \"balanced\""), p.getMessage());
    }
}
