package io.github.fastgn.spark;

import io.github.fastgn.SoftmaxHeadTrainer;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.data.Svmlight;
import io.github.fastgn.optim.FgnOptimizer;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.StopReason;
import io.github.fastgn.optim.TrainingResult;
import io.github.fastgn.testing.Check;
import io.github.fastgn.testing.QuietTestBase;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On data small enough for the core, the estimator reaches the core's optimum and scikit-learn's /
 * scipy's (the references of the core's tests, {@code sklearn/optima.csv} and
 * {@code text_small.reference.csv}), to 1e-6 relative, on dense and sparse vectors, raw and
 * standardised features, all-row and sampled curvature.
 */
class FGNClassifierOptimumTest extends QuietTestBase {

    private static final double TIGHT = 1e-12;

    /** f* of scipy's run on {@code data} ("raw" or "standardised") with {@code l2}. */
    private static double optimum(String data, String features, double l2) throws IOException {
        for (String line : SparkTests.lines("sklearn/optima.csv")) {
            String[] f = line.split(",");
            if (f[0].equals(data) && f[1].equals(features) && Double.parseDouble(f[2]) == l2) {
                return Double.parseDouble(f[3]);
            }
        }
        throw new AssertionError("no reference for " + data + " " + features + " " + l2);
    }

    private static void sameHead(double[] expected, double[] actual, int k, int d, double tol, String what) {
        double err = Check.relativeError(Check.centredBiases(expected, k, d), Check.centredBiases(actual, k, d));
        assertTrue(err <= tol, what + ": weights differ by " + err + " (relative)");
    }

    @Test
    void denseAndSparseVectorsReachTheCoresAndScipysOptimum() throws IOException {
        for (String set : List.of("iris", "breast_cancer")) {
            LabelledData data = SparkTests.sklearn(set);
            int d = data.featureCount();
            int k = data.classCount();
            for (boolean standardize : new boolean[] {false, true}) {
                double l2 = 1e-2;
                double fStar = optimum(set, standardize ? "standardised" : "raw", l2);
                SoftmaxHeadTrainer.Fit core = new SoftmaxHeadTrainer(FgnOptions.builder().l2(l2)
                        .standardize(standardize).tolerance(TIGHT).maxIterations(2000).build()).fit(data);
                for (boolean sparse : new boolean[] {false, true}) {
                    String what = set + (standardize ? " standardised" : " raw") + (sparse ? " sparse" : " dense");
                    FGNClassificationModel model = new FGNClassifier().setRegParam(l2).setStandardization(standardize)
                            .setTol(TIGHT).setMaxIter(2000).fit(SparkTests.frame(data, sparse, 2));
                    TrainingResult r = model.trainingResult();
                    assertEquals(StopReason.CONVERGED, r.stopReason(), what);
                    Check.close(fStar, r.objective(), 1e-6, what + ": objective against scipy's optimum");
                    assertTrue(r.objective() >= fStar * (1 - 1e-12), what + ": below the optimum");
                    sameHead(core.model().weights(), model.weights(), k, d, 1e-6, what + " against the core");
                }
            }
        }
    }

    /** The sparse reference of the core's tests: an svmlight file and scikit-learn's optimum on it. */
    @Test
    void sparseSvmlightRowsReachScikitLearnsOptimum(@TempDir Path dir) throws IOException {
        List<String> ref = SparkTests.lines("text_small.reference.csv");
        double l2 = Double.parseDouble(ref.get(0).split(",")[1]);
        double fStar = Double.parseDouble(ref.get(1).split(",")[1]);
        int k = Integer.parseInt(ref.get(2).split(",")[1]);
        int d = Integer.parseInt(ref.get(3).split(",")[1]);
        double[] wStar = new double[k * (d + 1)];
        for (int c = 0; c < k; c++) {
            String[] row = ref.get(4 + c).split(",");
            for (int j = 0; j <= d; j++) {
                wStar[c * (d + 1) + j] = Double.parseDouble(row[j]);
            }
        }
        Path file = dir.resolve("text_small.svm");
        Files.write(file, SparkTests.lines("text_small.svm"));
        Svmlight.Data read = Svmlight.read(file, Svmlight.IndexBase.ZERO, d, false);
        LabelledData data = LabelledData.sparse(read.features(), read.labels(), null, k);
        TrainingResult core = new FgnOptimizer(FgnOptions.builder().standardize(false).l2(l2).tolerance(TIGHT)
                .build()).optimize(data);
        FGNClassificationModel model = new FGNClassifier().setRegParam(l2).setStandardization(false).setTol(TIGHT)
                .fit(SparkTests.frame(data, true, 3));
        TrainingResult r = model.trainingResult();
        assertEquals(StopReason.CONVERGED, r.stopReason());
        Check.close(fStar, r.objective(), 1e-10, "objective against scikit-learn's optimum");
        sameHead(wStar, model.weights(), k, d, 1e-6, "against scikit-learn");
        sameHead(core.weights(), model.weights(), k, d, 1e-6, "against the core");
    }

    /**
     * A curvature sample smaller than the data (the path of large data sets): the gradient is exact,
     * so the optimum is the same; more steps, each solved on 96 of 569 rows.
     */
    @Test
    void aSampledCurvatureReachesTheSameOptimum() throws IOException {
        LabelledData data = SparkTests.sklearn("breast_cancer");
        double fStar = optimum("breast_cancer", "standardised", 1e-2);
        FGNClassificationModel model = new FGNClassifier().setRegParam(1e-2).setCurvatureSampleSize(96)
                .setTol(TIGHT).setMaxIter(2000).fit(SparkTests.frame(data, false, 2));
        TrainingResult r = model.trainingResult();
        assertTrue(r.stopReason() == StopReason.CONVERGED || r.stopReason() == StopReason.STALLED, r.stopReason()
                + " after " + r.iterations());
        Check.close(fStar, r.objective(), 1e-6, "objective against scipy's optimum");
    }

    /**
     * A partition with no rows (the first one, so that its share of each pass is the first of the
     * ordered sum) adds nothing: the fit is the one without it, bit for bit, at scipy's optimum.
     */
    @Test
    void anEmptyFirstPartitionChangesNothing() throws IOException {
        LabelledData data = SparkTests.sklearn("iris");
        Dataset<Row> two = SparkTests.frame(data, false, 2);
        JavaRDD<Row> none = JavaSparkContext.fromSparkContext(SparkTests.spark().sparkContext())
                .parallelize(List.<Row>of(), 1);
        Dataset<Row> withEmpty = SparkTests.spark().createDataFrame(none.union(two.javaRDD()), SparkTests.SCHEMA);
        assertEquals(3, withEmpty.javaRDD().getNumPartitions());
        assertEquals(0, withEmpty.javaRDD().glom().first().size(), "the first partition should be empty");
        FGNClassifier fgn = new FGNClassifier().setRegParam(1e-2).setStandardization(false).setTol(TIGHT)
                .setMaxIter(2000);
        FGNClassificationModel expected = fgn.fit(two);
        FGNClassificationModel model = fgn.fit(withEmpty);
        assertEquals(StopReason.CONVERGED, model.trainingResult().stopReason());
        Check.close(optimum("iris", "raw", 1e-2), model.trainingResult().objective(), 1e-6,
                "objective against scipy's optimum");
        assertArrayEquals(expected.weights(), model.weights(), "an empty partition changed the fit");
    }
}
