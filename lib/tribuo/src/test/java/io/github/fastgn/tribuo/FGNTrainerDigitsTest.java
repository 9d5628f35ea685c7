package io.github.fastgn.tribuo;

import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.SoftmaxHeadTrainer;
import io.github.fastgn.data.LabelledData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.math.la.DenseMatrix;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Accuracy on digits, agreement with the FastGN core, and example weights. */
@ExtendWith(TestSupport.NoConsoleOutput.class)
class FGNTrainerDigitsTest {

    /** Mean cross-entropy of a model's predicted probabilities on a dataset. */
    private static double meanCrossEntropy(Model<Label> model, Dataset<Label> data) {
        List<Prediction<Label>> predictions = model.predict(data);
        double ce = 0;
        for (int i = 0; i < predictions.size(); i++) {
            String truth = data.getExample(i).getOutput().getLabel();
            ce -= Math.log(predictions.get(i).getOutputScores().get(truth).getScore());
        }
        return ce / predictions.size();
    }

    /** The default trainer and its model on the digits training split, shared by the tests. */
    private static FGNTrainer trainer;
    private static LinearSGDModel digitsModel;

    @BeforeAll
    static void trainOnDigits() {
        TestSupport.quietLogging();
        trainer = new FGNTrainer(1e-4);
        digitsModel = trainer.train(TestSupport.digitsTrain());
    }

    @Test
    void accurateOnHeldOutDigitsAndFitsBetterThanTribuoLogisticRegression() {
        MutableDataset<Label> train = TestSupport.digitsTrain();
        MutableDataset<Label> test = TestSupport.digitsTest();
        LinearSGDModel fgn = digitsModel;
        double fgnAccuracy = new LabelEvaluator().evaluate(fgn, test).accuracy();
        assertTrue(fgnAccuracy >= 0.95, "FGN test accuracy " + fgnAccuracy);

        Model<Label> sgd = new LogisticRegressionTrainer().train(train);
        double sgdAccuracy = new LabelEvaluator().evaluate(sgd, test).accuracy();
        // same model family: FGN, solving the regularised problem to tolerance, is no worse than
        // 5 epochs of AdaGrad by more than a few test examples, and fits the training data better
        assertTrue(fgnAccuracy >= sgdAccuracy - 0.02, "FGN " + fgnAccuracy + " vs SGD " + sgdAccuracy);
        assertTrue(meanCrossEntropy(fgn, train) < meanCrossEntropy(sgd, train));
    }

    @Test
    void weightsEqualTheCoreResult() {
        LinearSGDModel model = digitsModel;
        LabelledData train = TestSupport.digitsSplit().train();
        LabelledData test = TestSupport.digitsSplit().test();
        SoftmaxHeadTrainer.Fit fit = new SoftmaxHeadTrainer(trainer.options()).fit(train);

        int d = train.featureCount();
        int k = train.classCount();
        String[] names = TribuoData.featureNames("px", d);
        for (int j = 0; j < d; j++) {
            assertEquals(j, model.getFeatureIDMap().getID(names[j]));
        }
        DenseMatrix w = (DenseMatrix) model.getWeightsCopy();
        assertEquals(k, w.getDimension1Size());
        assertEquals(d + 1, w.getDimension2Size());
        int[] row = new int[k];
        for (int c = 0; c < k; c++) {
            row[c] = model.getOutputIDInfo().getID(new Label(Integer.toString(c)));
        }

        boolean sameOrder = true;
        for (int c = 0; c < k; c++) {
            sameOrder &= row[c] == c;
        }
        if (sameOrder) {
            // same data, same options, same class order: the very same computation
            assertArrayEquals(fit.model().weights(), TestSupport.weights(model));
        }
        for (LabelledData data : List.of(train, test)) {
            int n = data.size();
            double[] x = data.features();
            double[] core = fit.model().logits(x, n);
            double worst = 0;
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < k; c++) {
                    double z = w.get(row[c], d);
                    for (int j = 0; j < d; j++) {
                        z += w.get(row[c], j) * x[i * d + j];
                    }
                    worst = Math.max(worst, Math.abs(z - core[i * k + c]));
                }
            }
            assertTrue(worst <= 1e-9, "largest logit difference " + worst);
        }
        // and Tribuo's probabilities are the core's
        double[] p = fit.model().probabilities(test.features(), test.size());
        List<Prediction<Label>> predictions = model.predict(TestSupport.digitsTest());
        for (int i = 0; i < test.size(); i++) {
            for (int c = 0; c < k; c++) {
                double tribuo = predictions.get(i).getOutputScores().get(Integer.toString(c)).getScore();
                assertEquals(p[i * k + c], tribuo, 1e-9);
            }
        }
    }

    /**
     * Features that are all exactly floats (digits pixels) are trained on as float rows, the core's
     * float path bit for bit (a curvature sample keeps them float); one value that is not a float
     * (0.1, in the last example, after the float rows were filled) sends every row to double, the
     * core's double path bit for bit, and nothing is rounded.
     */
    @Test
    void floatExactFeaturesTrainAsFloatElseAsDouble() {
        LabelledData train = TestSupport.digitsSplit().train();
        int n = 400;
        int d = train.featureCount();
        int k = train.classCount();
        double[] x = java.util.Arrays.copyOf(train.features(), n * d);
        int[] y = java.util.Arrays.copyOf(train.labels(), n);
        FgnOptions o = FgnOptions.builder().standardize(false).curvatureSample(150).maxIterations(12).build();
        for (boolean exact : new boolean[] {true, false}) {
            double[] xs = x.clone();
            if (!exact) {
                xs[n * d - 1] = 0.1;
            }
            float[] xf = new float[n * d];
            for (int t = 0; t < xf.length; t++) {
                xf[t] = (float) xs[t];
            }
            LabelledData data = new LabelledData(xs, y, null, n, d, k);
            LinearSGDModel model = new FGNTrainer(o).train(TribuoData.toDataset(data, "digits, first " + n));
            long seed = ((com.oracle.labs.mlrg.olcut.provenance.primitives.LongProvenance) model.getProvenance()
                    .getInstanceProvenance().getMap().get(FGNTrainer.SEED)).getValue();
            FgnOptions run = o.toBuilder().seed(seed).build();
            for (int c = 0; c < k; c++) {
                assertEquals(c, model.getOutputIDInfo().getID(new Label(Integer.toString(c))), "class order");
            }
            double[] expected = new SoftmaxHeadTrainer(run).fit(exact ? LabelledData.ofFloat(xf, y, null, n, d, k)
                    : data).model().weights();
            assertArrayEquals(expected, TestSupport.weights(model), exact ? "float rows" : "double rows");
            if (!exact) {
                // nothing was rounded to float: training on the rounded value gives another model
                double[] rounded = new SoftmaxHeadTrainer(run).fit(LabelledData.ofFloat(xf, y, null, n, d, k)).model()
                        .weights();
                assertTrue(!java.util.Arrays.equals(rounded, expected), "0.1 must not be rounded to a float");
            }
        }
    }

    @Test
    void exampleWeightsActAsRepetitions() {
        // weight 3 on every example of class "0" is the same objective as three copies of them
        // (standardize off: the standardiser's statistics are unweighted)
        LabelledData base = TestSupport.digitsSplit().train().subset(range(200));
        double[] weights = new double[base.size()];
        int extra = 0;
        for (int i = 0; i < base.size(); i++) {
            weights[i] = base.labels()[i] == 0 ? 3.0 : 1.0;
            extra += base.labels()[i] == 0 ? 2 : 0;
        }
        int[] repeated = new int[base.size() + extra];
        int r = 0;
        for (int i = 0; i < base.size(); i++) {
            for (int t = 0; t < (int) weights[i]; t++) {
                repeated[r++] = i;
            }
        }
        LabelledData weighted = new LabelledData(base.features(), base.labels(), weights, base.size(),
                base.featureCount(), base.classCount());
        FGNTrainer trainer = new FGNTrainer(FgnOptions.builder().standardize(false).l2(1e-2).tolerance(1e-10).build());
        String[] classes = TribuoData.classNames(10);
        String[] features = TribuoData.featureNames("px", 64);
        LinearSGDModel a = trainer.train(TribuoData.toDataset(weighted, classes, features, "weighted"));
        LinearSGDModel b = trainer.train(TribuoData.toDataset(base.subset(repeated), classes, features, "repeated"));
        LinearSGDModel plain = trainer.train(TribuoData.toDataset(base, classes, features, "unweighted"));
        double[] wa = TestSupport.weights(a);
        double[] wb = TestSupport.weights(b);
        double[] wp = TestSupport.weights(plain);
        double diff = 0;
        double moved = 0;
        for (int t = 0; t < wa.length; t++) {
            diff = Math.max(diff, Math.abs(wa[t] - wb[t]));
            moved = Math.max(moved, Math.abs(wa[t] - wp[t]));
        }
        assertTrue(diff < 1e-6, "weighted vs repeated: " + diff);
        assertTrue(moved > 1e-2, "the weights should change the model: " + moved);
    }

    private static int[] range(int n) {
        int[] index = new int[n];
        for (int i = 0; i < n; i++) {
            index[i] = i;
        }
        return index;
    }
}
