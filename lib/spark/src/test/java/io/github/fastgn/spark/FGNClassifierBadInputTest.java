package io.github.fastgn.spark;

import io.github.fastgn.data.LabelledData;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.testing.QuietTestBase;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input is refused with the core's message for the same data (same words, same example index). */
class FGNClassifierBadInputTest extends QuietTestBase {

    private static String message(Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    private static Dataset<Row> frame(double[] x, int[] y, double[] w, int n, int d) {
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(org.apache.spark.sql.RowFactory.create((double) y[i],
                    org.apache.spark.ml.linalg.Vectors.dense(java.util.Arrays.copyOfRange(x, i * d, (i + 1) * d)),
                    w == null ? 1.0 : w[i]));
        }
        return SparkTests.spark().createDataFrame(org.apache.spark.api.java.JavaSparkContext
                .fromSparkContext(SparkTests.spark().sparkContext()).parallelize(rows, 3), SparkTests.SCHEMA);
    }

    @Test
    void emptyDataOneClassNonFiniteFeaturesAndBadWeightsGetTheCoresMessages() {
        int n = 8;
        int d = 3;
        double[] x = new double[n * d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = i + 0.5 * j;
            }
        }
        FGNClassifier fgn = new FGNClassifier();
        assertEquals(message(() -> new LabelledData(new double[0], new int[0], null, 0, d, 2)),
                message(() -> fgn.fit(frame(x, y, null, 0, d))), "empty");

        int[] one = new int[n];
        assertEquals(message(() -> new LabelledData(x, one, null, n, d, 1)),
                message(() -> fgn.fit(frame(x, one, null, n, d))), "one class");

        double[] nan = x.clone();
        nan[5 * d + 2] = Double.NaN;
        String core = message(() -> new LabelledData(nan, y, null, n, d, 2));
        assertTrue(core.contains("example 5"), core);
        assertEquals(core, message(() -> fgn.fit(frame(nan, y, null, n, d))), "NaN feature");
        double[] inf = x.clone();
        inf[6 * d] = Double.NEGATIVE_INFINITY;
        assertEquals(message(() -> new LabelledData(inf, y, null, n, d, 2)),
                message(() -> fgn.fit(frame(inf, y, null, n, d))), "infinite feature");

        double[] w = new double[n];
        java.util.Arrays.fill(w, 1.0);
        w[3] = -1;
        FGNClassifier weighted = new FGNClassifier().setWeightCol("weight");
        assertEquals(message(() -> new LabelledData(x, y, w, n, d, 2)),
                message(() -> weighted.fit(frame(x, y, w, n, d))), "negative weight");
        double[] zero = new double[n];
        assertEquals(message(() -> new LabelledData(x, y, zero, n, d, 2)),
                message(() -> weighted.fit(frame(x, y, zero, n, d))), "all weights zero");
        assertTrue(message(() -> new FGNClassifier().setWeightCol("w").fit(frame(x, y, null, n, d)))
                .contains("weightCol w is not a column"));
    }

    @Test
    void aLabelThatIsNotAClassIndexIsNamed() {
        List<Row> rows = List.of(
                org.apache.spark.sql.RowFactory.create(0.0, org.apache.spark.ml.linalg.Vectors.dense(1.0), 1.0),
                org.apache.spark.sql.RowFactory.create(1.5, org.apache.spark.ml.linalg.Vectors.dense(2.0), 1.0));
        Dataset<Row> df = SparkTests.spark().createDataFrame(rows, SparkTests.SCHEMA);
        String m = message(() -> new FGNClassifier().fit(df));
        assertTrue(m.contains("label 1.5 of example 1 is not a class index"), m);
    }

    @Test
    void badParametersGetTheCoresMessage() {
        FGNClassifier fgn = new FGNClassifier();
        assertEquals("regParam: " + FgnOptions.L2.message(-1.0), message(() -> fgn.setRegParam(-1)));
        assertEquals("maxIter: " + FgnOptions.MAX_ITERATIONS.message(0), message(() -> fgn.setMaxIter(0)));
        assertEquals("solver: " + FgnOptions.SOLVER.message("fastest"), message(() -> fgn.setSolver("fastest")));
        assertTrue(message(() -> fgn.setAggregationDepth(0)).contains("aggregationDepth must be at least 1"));
        // a combination the builder refuses, at fit time, with the builder's message
        FGNClassifier range = new FGNClassifier().setMinDamping(10).setMaxDamping(1);
        String builder = message(() -> FgnOptions.builder().minDamping(10).maxDamping(1).build());
        assertEquals(builder, message(() -> range.fit(frame(new double[] {1, 2}, new int[] {0, 1}, null, 2, 1))));
    }

    /**
     * The top-competitor curvature reads dense rows: asked for on sparse rows (2 of 40 values stored),
     * the fit says what to use. (Sparse vectors whose values are mostly stored are kept dense, and
     * take it.)
     */
    @Test
    void theTopCompetitorSolverOnSparseRowsIsRefusedWithTheFix() {
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            rows.add(org.apache.spark.sql.RowFactory.create((double) (i % 3), org.apache.spark.ml.linalg.Vectors
                    .sparse(40, new int[] {i % 39, i % 39 + 1}, new double[] {1.0, 0.5}), 1.0));
        }
        Dataset<Row> sparse = SparkTests.spark().createDataFrame(rows, SparkTests.SCHEMA);
        String m = message(() -> new FGNClassifier().setSolver("ggn-top-cg").fit(sparse));
        assertTrue(m.contains("sparse distributed rows take a sampled curvature") && m.contains("use solver auto"), m);
    }
}
