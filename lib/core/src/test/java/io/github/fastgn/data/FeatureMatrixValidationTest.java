package io.github.fastgn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fastgn.internal.linalg.Parallel;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every public entry point of the {@link FeatureMatrix} storages refuses bad input with a message naming it. */
class FeatureMatrixValidationTest {

    private static void refused(String fragment, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }

    @Test
    void csrArraysAreCheckedWhenBuilt() {
        int[] start = {0, 2, 2, 3};
        refused("strictly increasing", () -> CsrFeatures.of(start, new int[] {3, 1, 0}, new double[3], 3, 4));
        refused("strictly increasing", () -> CsrFeatures.of(start, new int[] {1, 1, 0}, new double[3], 3, 4));
        refused("column index 4 is outside [0, 4)",
                () -> CsrFeatures.of(start, new int[] {0, 4, 0}, new double[3], 3, 4));
        refused("column index -1", () -> CsrFeatures.of(start, new int[] {-1, 2, 0}, new double[3], 3, 4));
        refused("non-decreasing", () -> CsrFeatures.of(new int[] {0, 2, 1, 3}, new int[] {0, 1, 0},
                new double[3], 3, 4));
        refused("rowStart[0] is 1", () -> CsrFeatures.of(new int[] {1, 2, 2, 3}, new int[3], new double[3], 3, 4));
        refused("expected n + 1 = 4", () -> CsrFeatures.of(new int[] {0, 3}, new int[3], new double[3], 3, 4));
        refused("all three must agree", () -> CsrFeatures.of(start, new int[] {0, 1, 0}, new double[2], 3, 4));
        refused("n >= 1 rows and d >= 1 columns", () -> CsrFeatures.of(new int[] {0}, new int[0], new double[0], 0,
                4));
        refused("values must not be null", () -> CsrFeatures.ofFloat(start, new int[] {0, 1, 0}, null, 3, 4));
        // the non-finite value is found after an empty row: row 2, column 0
        refused("row 2, column 0: value NaN", () -> CsrFeatures.of(start, new int[] {0, 1, 0},
                new double[] {1, 2, Double.NaN}, 3, 4));
        refused("row 0, column 1: value Infinity", () -> CsrFeatures.ofFloat(start, new int[] {0, 1, 0},
                new float[] {1, Float.POSITIVE_INFINITY, 2}, 3, 4));
    }

    @Test
    void denseArraysAreCheckedWhenBuilt() {
        refused("feature 1 of row 1 is NaN", () -> DenseFeatures.of(new double[] {1, 2, 3, Double.NaN}, 2, 2));
        refused("feature 0 of row 0 is -Infinity",
                () -> DenseFeatures.ofFloat(new float[] {Float.NEGATIVE_INFINITY, 2}, 1, 2));
        refused("expected n*d = 2*3", () -> DenseFeatures.of(new double[5], 2, 3));
        refused("must not be null", () -> DenseFeatures.ofFloat(null, 2, 3));
    }

    @Test
    void productArgumentsAreChecked() {
        List<FeatureMatrix> storages = List.of(DenseFeatures.of(new double[] {1, 0, 0, 2, 3, 0}, 3, 2),
                CsrFeatures.of(new int[] {0, 1, 2, 3}, new int[] {0, 1, 0}, new double[] {1, 2, 3}, 3, 2));
        for (FeatureMatrix x : storages) {
            refused("K = 0 classes", () -> x.rowProduct(new double[3], 0, new double[3], Parallel.SERIAL));
            refused("v holds 5 values, needs K*(d+1) = 6",
                    () -> x.rowProduct(new double[5], 2, new double[6], Parallel.SERIAL));
            refused("out holds 5 values, needs n*K = 6",
                    () -> x.rowProduct(new double[6], 2, new double[5], Parallel.SERIAL));
            refused("coef holds 5 values, needs n*K = 6",
                    () -> x.transposeProduct(new double[5], 2, new double[6], Parallel.SERIAL));
            refused("out holds 5 values, needs K*(d+1) = 6",
                    () -> x.transposeProduct(new double[6], 2, new double[5], Parallel.SERIAL));
            refused("rows[1] = 3 is outside [0, 3)",
                    () -> x.gram(new int[] {0, 3}, null, new double[4], Parallel.SERIAL));
            refused("needs B*B for B = 2 rows = 4",
                    () -> x.gram(new int[] {0, 1}, null, new double[3], Parallel.SERIAL));
            refused("column weight 1 is -1.0",
                    () -> x.gram(new int[] {0}, new double[] {1, -1}, new double[1], Parallel.SERIAL));
            refused("got 3 column weights for 2 columns", () -> x.rowSquaredNorms(new double[3], new double[3]));
            refused("out holds 2 values, needs n = 3", () -> x.rowSquaredNorms(null, new double[2]));
            refused("got 2 weights for 3 examples", () -> x.standardizer(new double[2]));
            refused("all example weights are zero", () -> x.standardizer(new double[3]));
            refused("weight of example 1 is NaN", () -> x.standardizer(new double[] {1, Double.NaN, 1}));
            assertEquals(2, x.standardizer(new double[] {1, 0, 1}).mean().length);
        }
    }
}
