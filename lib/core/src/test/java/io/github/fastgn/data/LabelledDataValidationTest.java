package io.github.fastgn.data;

import io.github.fastgn.testing.QuietTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input to the core data type is rejected with a message that names the problem. */
class LabelledDataValidationTest extends QuietTestBase {

    private static void rejects(Executable e, String... fragments) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String f : fragments) {
            assertTrue(ex.getMessage().contains(f), "message '" + ex.getMessage() + "' should mention '" + f + "'");
        }
    }

    @Test
    void emptyDataIsRejected() {
        rejects(() -> new LabelledData(new double[0], new int[0], null, 0, 3, 2), "empty");
        rejects(() -> LabelledData.of(new double[0][], new int[0]), "empty");
    }

    @Test
    void oneClassIsRejected() {
        rejects(() -> new LabelledData(new double[] {1, 2}, new int[] {0, 0}, null, 2, 1, 1), "at least 2 classes",
                "got 1");
        // of() infers k = max label + 1 = 1
        rejects(() -> LabelledData.of(new double[][] {{1}, {2}}, new int[] {0, 0}), "at least 2 classes");
    }

    @Test
    void nonFiniteFeaturesAreRejectedWithTheirPosition() {
        rejects(() -> new LabelledData(new double[] {1, 2, 3, Double.NaN}, new int[] {0, 1}, null, 2, 2, 2),
                "feature 1 of example 1", "NaN");
        rejects(() -> new LabelledData(new double[] {Double.POSITIVE_INFINITY, 2}, new int[] {0, 1}, null, 2, 1, 2),
                "feature 0 of example 0", "Infinity");
        rejects(() -> new LabelledData(new double[] {1, Double.NEGATIVE_INFINITY}, new int[] {0, 1}, null, 2, 1, 2),
                "-Infinity");
    }

    @Test
    void labelsOutOfRangeAreRejected() {
        rejects(() -> new LabelledData(new double[] {1, 2, 3}, new int[] {0, 3, 1}, null, 3, 1, 3),
                "label 3 of example 1", "[0, 3)");
        rejects(() -> new LabelledData(new double[] {1, 2}, new int[] {-1, 1}, null, 2, 1, 2), "label -1 of example 0");
    }

    @Test
    void shapeAndWeightMistakesAreRejected() {
        rejects(() -> new LabelledData(new double[] {1, 2, 3}, new int[] {0, 1}, null, 2, 2, 2), "expected n*d");
        rejects(() -> new LabelledData(new double[] {1, 2}, new int[] {0}, null, 2, 1, 2), "1 labels for 2 examples");
        rejects(() -> new LabelledData(new double[] {1, 2}, new int[] {0, 1}, null, 2, 0, 2), "no features");
        rejects(() -> new LabelledData(new double[] {1, 2}, new int[] {0, 1}, new double[] {1, -1}, 2, 1, 2),
                "weight of example 1");
        rejects(() -> new LabelledData(new double[] {1, 2}, new int[] {0, 1}, new double[] {0, 0}, 2, 1, 2),
                "all example weights are zero");
        rejects(() -> new LabelledData(new double[] {1, 2}, new int[] {0, 1}, new double[] {1, Double.NaN}, 2, 1, 2),
                "NaN");
        rejects(() -> LabelledData.of(new double[][] {{1, 2}, {3}}, new int[] {0, 1}), "row 1 has 1 features");
    }

    @Test
    void validDataKeepsItsContentAndSubsetsCopyRows() {
        LabelledData data = LabelledData.of(new double[][] {{1, 2}, {3, 4}, {5, 6}}, new int[] {2, 0, 2});
        assertEquals(3, data.classCount());
        assertEquals(2, data.featureCount());
        assertArrayEquals(new int[] {1, 0, 2}, data.classCounts());
        LabelledData sub = data.subset(new int[] {2, 1});
        assertArrayEquals(new double[] {5, 6, 3, 4}, sub.features(), 0.0);
        assertArrayEquals(new int[] {2, 0}, sub.labels());
        assertEquals(3, sub.classCount(), "a subset keeps the class count");
    }
}
