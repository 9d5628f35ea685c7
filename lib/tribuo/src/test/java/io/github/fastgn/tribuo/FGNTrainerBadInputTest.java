package io.github.fastgn.tribuo;

import io.github.fastgn.optim.FgnOptions;
import com.oracle.labs.mlrg.olcut.util.Pair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.example.LabelledDataGenerator;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Invalid datasets fail with a message that names the problem; no model has non-finite weights. */
@ExtendWith(TestSupport.NoConsoleOutput.class)
class FGNTrainerBadInputTest {

    private static final LabelFactory FACTORY = new LabelFactory();

    private static MutableDataset<Label> empty() {
        return new MutableDataset<>(new SimpleDataSourceProvenance("test", FACTORY), FACTORY);
    }

    private static ArrayExample<Label> example(String label, double a, double b) {
        return new ArrayExample<>(new Label(label), new String[]{"a", "b"}, new double[]{a, b});
    }

    private static MutableDataset<Label> twoClasses() {
        MutableDataset<Label> ds = empty();
        ds.add(example("x", 1, 0));
        ds.add(example("x", 2, 1));
        ds.add(example("y", -1, 0.5));
        ds.add(example("y", -2, 1));
        return ds;
    }

    private static void fails(String fragment, Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(fragment), ex.getMessage());
    }

    @Test
    void emptyDataset() {
        fails("empty", () -> new FGNTrainer(1e-4).train(empty()));
    }

    @Test
    void singleClass() {
        MutableDataset<Label> ds = empty();
        ds.add(example("x", 1, 0));
        ds.add(example("x", 2, 1));
        fails("at least 2 classes", () -> new FGNTrainer(1e-4).train(ds));
    }

    @Test
    void unknownOutputs() {
        MutableDataset<Label> ds = twoClasses();
        ds.add(new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, new String[]{"a", "b"}, new double[]{1, 1}));
        fails("unknown Outputs", () -> new FGNTrainer(1e-4).train(ds));
    }

    @Test
    void nonFiniteFeatureValues() {
        for (double bad : new double[]{Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            MutableDataset<Label> ds = twoClasses();
            // Tribuo may refuse such an example on add; corrupt one already in the dataset
            Example<Label> third = ds.getExample(2);
            third.set(new Feature("b", bad));
            FGNTrainer trainer = new FGNTrainer(1e-4);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer.train(ds));
            assertTrue(e.getMessage().contains("example 2"), e.getMessage());
            assertTrue(e.getMessage().contains("'b'"), e.getMessage());
            assertTrue(e.getMessage().contains(Double.toString(bad)), e.getMessage());
            // a rejected dataset does not use up an invocation
            assertEquals(0, trainer.getInvocationCount());
        }
    }

    /** Removes every feature of an example already in a dataset (Tribuo refuses to add such examples). */
    private static void strip(Example<Label> ex) {
        List<Feature> all = new ArrayList<>();
        ex.forEach(all::add);
        ex.removeFeatures(all);
    }

    @Test
    void noFeatures() {
        MutableDataset<Label> ds = twoClasses();
        ds.forEach(FGNTrainerBadInputTest::strip);
        ds.regenerateFeatureInfo();
        assertEquals(0, ds.getFeatureIDMap().size());
        fails("no features", () -> new FGNTrainer(1e-4).train(ds));
    }

    @Test
    void exampleWithoutKnownFeatures() {
        MutableDataset<Label> ds = twoClasses();
        ds.add(example("y", -3, 1));
        strip(ds.getExample(4));
        fails("example 4 has no features", () -> new FGNTrainer(1e-4).train(ds));
    }

    @Test
    void invalidExampleWeights() {
        MutableDataset<Label> ds = twoClasses();
        ds.getExample(1).setWeight(-1f);
        fails("weight of example 1", () -> new FGNTrainer(1e-4).train(ds));
        MutableDataset<Label> zero = twoClasses();
        zero.forEach(ex -> ex.setWeight(0f));
        fails("all example weights are zero", () -> new FGNTrainer(1e-4).train(zero));
    }

    @Test
    void separableDataWithoutPenaltyGivesFiniteWeights() {
        // without L2 the optimum of separable data is at infinity; the model must stay finite
        Pair<Dataset<Label>, Dataset<Label>> p = LabelledDataGenerator.denseTrainTest();
        for (FGNTrainer trainer : new FGNTrainer[]{new FGNTrainer(0.0),
                new FGNTrainer(FgnOptions.builder().l2(0).guard(false).standardize(false).maxIterations(200).build()),
                new FGNTrainer(FgnOptions.builder().l2(0).solver("newton").initialDamping(1e-10).build())}) {
            LinearSGDModel model = trainer.train(p.getA());
            for (double w : TestSupport.weights(model)) {
                assertTrue(Double.isFinite(w), trainer + " gave weight " + w);
            }
        }
    }

    @Test
    void hugeFeatureValuesEitherTrainOrFailClearly() {
        MutableDataset<Label> ds = empty();
        for (int i = 0; i < 20; i++) {
            ds.add(example(i % 2 == 0 ? "x" : "y", (i % 2 == 0 ? 1 : -1) * 1e150 * (1 + i), 1e-150 * i));
        }
        // standardised, the problem is benign
        for (double w : TestSupport.weights(new FGNTrainer(FgnOptions.builder().l2(0).build()).train(ds))) {
            assertTrue(Double.isFinite(w), "gave weight " + w);
        }
        // raw, the curvature spans 600 orders of magnitude: train or fail with a hint, never NaN
        for (String solver : new String[]{"auto", "newton", "fgn-param-cg"}) {
            FGNTrainer trainer = new FGNTrainer(FgnOptions.builder().standardize(false).l2(0).solver(solver).build());
            try {
                for (double w : TestSupport.weights(trainer.train(ds))) {
                    assertTrue(Double.isFinite(w), solver + " gave weight " + w);
                }
            } catch (ArithmeticException e) {
                assertTrue(e.getMessage().contains("FGN training failed"), e.getMessage());
                assertTrue(e.getMessage().contains("standardize"), e.getMessage());
            }
        }
    }
}
