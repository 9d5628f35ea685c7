package io.github.fastgn.tribuo;

import com.oracle.labs.mlrg.olcut.provenance.primitives.DoubleProvenance;
import io.github.fastgn.SoftmaxHeadTrainer;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.testing.SparseProblem;
import io.github.fastgn.testing.Check;
import io.github.fastgn.testing.QuietTestBase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.datasource.LibSVMDataSource;

import java.io.IOException;
import java.net.URL;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sparse Tribuo dataset (the small text-like svmlight file of fastgn-core's tests, read by Tribuo's
 * own {@link LibSVMDataSource}) is read into compressed sparse rows automatically and trains to the
 * model the same data gives when forced dense, with and without {@code standardize}; its optimum is
 * scikit-learn's on the same file (the objective recorded in the provenance against the reference
 * written beside the file).
 */
class FGNTrainerSparseTest extends QuietTestBase {

    private static final String DIR = "/io/github/fastgn/optim/";

    @BeforeAll
    static void quiet() {
        TestSupport.quietLogging();
    }

    private static MutableDataset<Label> textSmall() throws IOException {
        URL file = FGNTrainerSparseTest.class.getResource(DIR + "text_small.svm");
        return new MutableDataset<>(new LibSVMDataSource<>(file, new LabelFactory()));
    }

    private static String storage(LinearSGDModel m) {
        return m.getProvenance().getInstanceProvenance().getMap().get(FGNTrainer.FEATURE_STORAGE).toString();
    }

    private static double objective(LinearSGDModel m) {
        return ((DoubleProvenance) m.getProvenance().getInstanceProvenance().getMap().get(FGNTrainer.FINAL_OBJECTIVE))
                .getValue();
    }

    private static double[] weights(LinearSGDModel m, MutableDataset<Label> data) {
        return Check.centredBiases(LinearModels.weightsOn(m, data.getFeatureIDMap(), data.getOutputIDInfo()),
                data.getOutputIDInfo().size(), data.getFeatureIDMap().size());
    }

    @Test
    void sparseDatasetTrainsOnSparseRowsToTheDenseModelAndScikitLearnsOptimum() throws Exception {
        MutableDataset<Label> data = textSmall();
        int n = data.size();
        int d = data.getFeatureIDMap().size();
        long stored = 0;
        for (var ex : data) {
            stored += ex.size();
        }
        assertTrue(stored * 100 <= (long) n * d * FgnOptions.SPARSE_PERCENT, "a sparse set: " + stored + " of " + n * d);
        List<String> ref;
        // a resource of fastgn-core's test jar: read as a stream (it is inside a jar in a packaged build)
        try (var in = FGNTrainerSparseTest.class.getResourceAsStream(DIR + "text_small.reference.csv")) {
            ref = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        }
        double l2 = Double.parseDouble(ref.get(0).split(",")[1]);
        double fStar = Double.parseDouble(ref.get(1).split(",")[1]);
        for (boolean standardize : new boolean[] {false, true}) {
            FgnOptions o = FgnOptions.builder().l2(l2).standardize(standardize).tolerance(1e-10).build();
            LinearSGDModel sparse = new FGNTrainer(o).train(data);
            LinearSGDModel dense = new FGNTrainer(o.toBuilder().featureStorage(FgnOptions.STORAGE_DENSE).build())
                    .train(data);
            assertEquals(FgnOptions.STORAGE_SPARSE, storage(sparse), "auto reads this set as sparse rows");
            assertEquals(FgnOptions.STORAGE_DENSE, storage(dense));
            String what = standardize ? "standardised" : "raw";
            Check.close(objective(dense), objective(sparse), 1e-10, what + ": objective");
            double err = Check.relativeError(weights(dense, data), weights(sparse, data));
            assertTrue(err < 1e-5, what + ": the sparse and dense models differ by " + err);
            if (!standardize) {
                // the same problem scikit-learn solved on this file (the features Tribuo's domain lacks are all zero)
                Check.close(fStar, objective(sparse), 1e-9, "objective against scikit-learn's optimum");
            }
        }
    }

    @Test
    void sparsePlainArraysRoundTripThroughATribuoDataset() {
        SparseProblem pr = SparseProblem.random(41, 150, 25, 3, 0.15, false, false); // Tribuo weights are float: unweighted
        // Tribuo refuses examples without features: keep the non-empty rows
        int[] ptr = pr.sparse().sparseFeatures().rowStart();
        int[] keep = java.util.stream.IntStream.range(0, pr.sparse().size()).filter(i -> ptr[i + 1] > ptr[i]).toArray();
        LabelledData data = pr.sparse().subset(keep);
        MutableDataset<Label> ds = TribuoData.toDataset(data, "sparse round trip");
        FgnOptions o = FgnOptions.builder().l2(1e-2).tolerance(1e-10).build();
        LinearSGDModel model = new FGNTrainer(o).train(ds);
        assertEquals(FgnOptions.STORAGE_SPARSE, storage(model));
        double plain = new SoftmaxHeadTrainer(o).fit(data).training().objective();
        Check.close(plain, objective(model), 1e-10, "the Tribuo and plain-array optima");
    }

    /**
     * Raw documents through Tribuo's text pipeline (tokeniser, unigrams and bigrams) to a
     * {@link LinearSGDModel}: the bag of words is read as sparse rows and gives the model of the dense
     * read, and the model separates the topics it was trained on.
     */
    @Test
    void rawDocumentsThroughTheTextPipelineTrainOnSparseRows() {
        java.util.Random rnd = new java.util.Random(5);
        String[] topics = {"sport", "science", "music"};
        List<String> lines = new java.util.ArrayList<>();
        for (int i = 0; i < 240; i++) {
            int c = i % 3;
            StringBuilder doc = new StringBuilder(topics[c]).append("##");
            for (int t = 0, len = 8 + rnd.nextInt(12); t < len; t++) {
                // a third of the words from the topic's own vocabulary, the rest shared by all topics
                String word = rnd.nextInt(3) == 0 ? topics[c] + "w" + rnd.nextInt(40) : "common" + rnd.nextInt(150);
                doc.append(word).append(' ');
            }
            lines.add(doc.toString());
        }
        var pipeline = new org.tribuo.data.text.impl.BasicPipeline(
                new org.tribuo.util.tokens.impl.BreakIteratorTokenizer(java.util.Locale.US), 2);
        MutableDataset<Label> data = new MutableDataset<>(new org.tribuo.data.text.impl.SimpleStringDataSource<>(
                lines, new LabelFactory(), new org.tribuo.data.text.impl.TextFeatureExtractorImpl<>(pipeline)));
        FgnOptions o = FgnOptions.builder().l2(1e-3).tolerance(1e-10).build();
        LinearSGDModel sparse = new FGNTrainer(o).train(data);
        LinearSGDModel dense = new FGNTrainer(o.toBuilder().featureStorage(FgnOptions.STORAGE_DENSE).build())
                .train(data);
        assertEquals(FgnOptions.STORAGE_SPARSE, storage(sparse), data.getFeatureIDMap().size() + " features");
        double err = Check.relativeError(weights(dense, data), weights(sparse, data));
        assertTrue(err < 1e-5, "the sparse and dense models differ by " + err);
        var eval = new org.tribuo.classification.evaluation.LabelEvaluator().evaluate(sparse, data);
        assertTrue(eval.accuracy() > 0.95, "training accuracy " + eval.accuracy());
    }
}
