package io.github.fastgn.spark;

import io.github.fastgn.data.LabelledData;
import io.github.fastgn.optim.StopReason;
import io.github.fastgn.testing.QuietTestBase;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Features and weights far from unit scale train the model of the same data at unit scale: a
 * common offset (centred virtually), columns near the top and the bottom of the double range
 * (moments scaled by powers of two, a relative test for constant columns), weights near the top of
 * the range (their products in the moments' merge). Each is checked against the fit of the
 * unmodified data, mapped exactly: an offset changes only the biases, a column scaled by {@code c}
 * has its weights scaled by {@code 1 / c}, weights scaled by a constant change nothing.
 */
class FGNClassifierScalingTest extends QuietTestBase {

    private static LabelledData iris;
    /** The fit of iris as it is, unit weights: what every modified copy is checked against. */
    private static FGNClassificationModel plain;

    @BeforeAll
    static void fitIris() throws IOException {
        iris = SparkTests.sklearn("iris");
        plain = fit(frame(iris, 1, 0, 1));
    }

    /** Iris as rows of a DataFrame in 3 partitions, column {@code 0} mapped by {@code a x + b}, weights {@code w}. */
    private static Dataset<Row> frame(LabelledData data, double a, double b, double w) {
        int d = data.featureCount();
        double[] x = data.features();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            double[] v = Arrays.copyOfRange(x, i * d, (i + 1) * d);
            v[0] = a * v[0] + b;
            rows.add(RowFactory.create((double) data.labels()[i], Vectors.dense(v), w));
        }
        return SparkTests.spark().createDataFrame(JavaSparkContext.fromSparkContext(SparkTests.spark().sparkContext())
                .parallelize(rows, 3), SparkTests.SCHEMA);
    }

    private static FGNClassificationModel fit(Dataset<Row> frame) {
        return new FGNClassifier().setWeightCol("weight").setTol(1e-10).setMaxIter(500).fit(frame);
    }

    /** Weights of column {@code j} of every class, the other columns' and the class differences of the biases. */
    private static double relativeDifference(double[] expected, double[] actual, int k, int d) {
        double err = 0;
        double norm = 0;
        for (int c = 0; c < k; c++) {
            for (int j = 1; j < d; j++) {
                err = Math.max(err, Math.abs(expected[c * (d + 1) + j] - actual[c * (d + 1) + j]));
                norm = Math.max(norm, Math.abs(expected[c * (d + 1) + j]));
            }
        }
        return err / norm;
    }

    @Test
    void aLargeCommonOffsetChangesOnlyTheBiases() {
        LabelledData data = iris;
        int d = data.featureCount();
        int k = data.classCount();
        for (double offset : new double[] {1e6, 1.7e9}) {
            FGNClassificationModel shifted = fit(frame(data, 1, offset, 1));
            String what = "offset " + offset;
            // without the virtual centring, +1e6 ends at the iteration limit here
            assertEquals(StopReason.CONVERGED, shifted.trainingResult().stopReason(), what);
            assertTrue(shifted.trainingResult().iterations() <= plain.trainingResult().iterations() + 3,
                    what + ": " + shifted.trainingResult().iterations() + " iterations against "
                            + plain.trainingResult().iterations());
            double[] w = plain.weights();
            double[] v = shifted.weights();
            // raw rows of magnitude 1.7e9 resolve their unit-scale part to about 1e-16 offset (their own
            // spacing), and the gradient's centring subtracts sums of that size
            double tol = 1e-6 + 1e-14 * offset;
            double err = 0;
            double norm = 0;
            for (int c = 0; c < k; c++) {
                err = Math.max(err, Math.abs(w[c * (d + 1)] - v[c * (d + 1)]));
                norm = Math.max(norm, Math.abs(w[c * (d + 1)]));
            }
            assertTrue(err <= tol * norm, what + ": column 0 differs by " + err + " against " + norm);
            assertTrue(relativeDifference(w, v, k, d) <= 1e-6 + 1e-14 * offset, what + ": the other weights");
            assertEquals(plain.trainingResult().objective(), shifted.trainingResult().objective(),
                    1e-6 * plain.trainingResult().objective() + 1e-14 * offset, what + ": objective");
        }
    }

    @Test
    void columnsNearTheEndsOfTheDoubleRangeAreScaledAsAnyOther() {
        LabelledData data = iris;
        int d = data.featureCount();
        int k = data.classCount();
        // 1e155: its squares overflowed the moments (the column was dropped); 1e-13: it counted as constant
        for (double scale : new double[] {1e155, 1e-13}) {
            FGNClassificationModel scaled = fit(frame(data, scale, 0, 1));
            String what = "column 0 scaled by " + scale;
            assertEquals(StopReason.CONVERGED, scaled.trainingResult().stopReason(), what);
            double[] w = plain.weights();
            double[] v = scaled.weights();
            for (int c = 0; c < k; c++) {
                assertEquals(w[c * (d + 1)], v[c * (d + 1)] * scale, 1e-6 * Math.abs(w[c * (d + 1)]), what + ": w_c0");
            }
            assertTrue(relativeDifference(w, v, k, d) <= 1e-6, what + ": the other weights");
            assertEquals(plain.trainingResult().objective(), scaled.trainingResult().objective(),
                    1e-9 * plain.trainingResult().objective(), what + ": objective");
        }
    }

    @Test
    void weightsNearTheTopOfTheRangeTrainTheUnitWeightModel() {
        LabelledData data = iris;
        // 1e200: the moments' merge multiplied two partitions' weights (inf), and every scale became inf
        FGNClassificationModel heavy = fit(frame(data, 1, 0, 1e200));
        assertEquals(StopReason.CONVERGED, heavy.trainingResult().stopReason());
        assertTrue(relativeDifference(plain.weights(), heavy.weights(), data.classCount(), data.featureCount())
                <= 1e-9);
        // weights whose sum is past the double range: the core's message
        String m = assertThrows(IllegalArgumentException.class, () -> fit(frame(data, 1, 0, 1e307))).getMessage();
        assertTrue(m.contains("weights sum to Infinity") && m.contains("rescale the weights"), m);
    }

    @Test
    void oneClassNullLabelsAndNullVectorsAreNamed() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rows.add(RowFactory.create(1.0, Vectors.dense(i, 2.0 * i), 1.0));
        }
        String one = assertThrows(IllegalArgumentException.class, () -> new FGNClassifier().fit(frame(rows)))
                .getMessage();
        assertTrue(one.contains("every example has label 1") && one.contains("at least 2 classes"), one);

        List<Row> nullLabel = new ArrayList<>(rows);
        nullLabel.set(0, RowFactory.create(0.0, Vectors.dense(0, 0), 1.0));
        nullLabel.set(27, RowFactory.create(null, Vectors.dense(1, 2), 1.0));
        String label = assertThrows(IllegalArgumentException.class, () -> new FGNClassifier().fit(frame(nullLabel)))
                .getMessage();
        assertTrue(label.contains("label of example 27 is null") && label.contains("drop or fill"), label);

        List<Row> nullVector = new ArrayList<>(rows);
        nullVector.set(0, RowFactory.create(0.0, Vectors.dense(0, 0), 1.0));
        nullVector.set(31, RowFactory.create(0.0, null, 1.0));
        String vector = assertThrows(IllegalArgumentException.class, () -> new FGNClassifier().fit(frame(nullVector)))
                .getMessage();
        assertTrue(vector.contains("example 31 has no feature vector"), vector);

        List<Row> nullWeight = new ArrayList<>(rows);
        nullWeight.set(0, RowFactory.create(0.0, Vectors.dense(0, 0), 1.0));
        nullWeight.set(12, RowFactory.create(0.0, Vectors.dense(3, 1), null));
        String weight = assertThrows(IllegalArgumentException.class,
                () -> new FGNClassifier().setWeightCol("weight").fit(frame(nullWeight))).getMessage();
        assertTrue(weight.contains("weight of example 12 is null"), weight);
    }

    /** {@code rows} in 2 partitions (the examples above 20 in the second), every column nullable. */
    private static Dataset<Row> frame(List<Row> rows) {
        StructType nullable = new StructType()
                .add("label", DataTypes.DoubleType, true)
                .add("features", SQLDataTypes.VectorType(), true)
                .add("weight", DataTypes.DoubleType, true);
        return SparkTests.spark().createDataFrame(JavaSparkContext.fromSparkContext(SparkTests.spark().sparkContext())
                .parallelize(rows, 2), nullable);
    }
}
