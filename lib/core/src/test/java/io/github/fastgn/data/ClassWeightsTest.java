package io.github.fastgn.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ClassWeights}: hand-counted balanced weights, effective example weights, bad weights. */
class ClassWeightsTest {

    /** Six examples of classes 0,0,0,1,2,2 of four (class 3 has none), one feature. */
    private static LabelledData six(double[] weights) {
        return new LabelledData(new double[]{1, 2, 3, 4, 5, 6}, new int[]{0, 0, 0, 1, 2, 2}, weights, 6, 1, 4);
    }

    @Test
    void balancedIsScikitLearnsFormulaOnAHandCount() {
        // n_samples / (n_classes * count_k) over the 3 classes present: 6/(3*3), 6/(3*1), 6/(3*2); class 3 keeps 1
        assertArrayEquals(new double[]{6.0 / 9, 2.0, 1.0, 1.0}, ClassWeights.balanced().perClass(six(null)), 1e-15);
        double[] w = ClassWeights.balanced().exampleWeights(six(null));
        assertArrayEquals(new double[]{6.0 / 9, 6.0 / 9, 6.0 / 9, 2, 1, 1}, w, 1e-15);
    }

    @Test
    void balancedCountsAreWeightedByTheExampleWeights() {
        double[] ew = {1, 1, 2, 3, 0.5, 0.5};
        // class masses 4, 3, 1 of a total 8, over 3 classes: 8/12, 8/9, 8/3
        double[] cw = ClassWeights.balanced().perClass(six(ew));
        assertArrayEquals(new double[]{8.0 / 12, 8.0 / 9, 8.0 / 3, 1.0}, cw, 1e-15);
        double[] w = ClassWeights.balanced().exampleWeights(six(ew));
        for (int i = 0; i < 6; i++) {
            assertEquals(ew[i] * cw[six(null).labels()[i]], w[i], 1e-15);
        }
        // after balancing every present class holds the same total weight, so balancing again changes nothing
        LabelledData balanced = ClassWeights.balanced().applyTo(six(ew));
        assertArrayEquals(new double[]{1, 1, 1, 1}, ClassWeights.balanced().perClass(balanced), 1e-15);
        // an example of weight 3 counts as three copies: the same as the data with that row repeated
        LabelledData copies = new LabelledData(new double[]{1, 2, 3, 3, 4, 4, 4}, new int[]{0, 0, 0, 0, 1, 1, 1},
                null, 7, 1, 2);
        LabelledData weighted = new LabelledData(new double[]{1, 2, 3, 4}, new int[]{0, 0, 0, 1},
                new double[]{1, 1, 2, 3}, 4, 1, 2);
        assertArrayEquals(ClassWeights.balanced().perClass(copies), ClassWeights.balanced().perClass(weighted), 1e-15);
    }

    @Test
    void explicitWeightsMultiplyTheExampleWeights() {
        double[] ew = {1, 2, 1, 1, 3, 1};
        LabelledData data = six(ew);
        double[] w = ClassWeights.of(1, 5, 0.5, 7).exampleWeights(data);
        assertArrayEquals(new double[]{1, 2, 1, 5, 1.5, 0.5}, w, 0);
        assertArrayEquals(new double[]{1, 5, 0.5, 7}, ClassWeights.of(1, 5, 0.5, 7).perClass(data), 0);
        assertNull(ClassWeights.none().exampleWeights(six(null)));
        assertArrayEquals(ew, ClassWeights.none().exampleWeights(data), 0);
    }

    @Test
    void nothingPassedInIsModified() {
        double[] ew = {1, 2, 1, 1, 3, 1};
        double[] per = {1, 5, 0.5, 7};
        LabelledData data = six(ew);
        ClassWeights cw = ClassWeights.of(per);
        per[1] = 100;
        LabelledData out = cw.applyTo(data);
        assertArrayEquals(new double[]{1, 2, 1, 1, 3, 1}, data.weights(), 0);
        assertSame(data.features(), out.features());
        assertSame(data.labels(), out.labels());
        assertArrayEquals(new double[]{1, 2, 1, 5, 1.5, 0.5}, out.weights(), 0);
        assertSame(data, ClassWeights.none().applyTo(data));
        LabelledData floats = LabelledData.ofFloat(new float[]{1, 2, 3, 4, 5, 6}, data.labels(), null, 6, 1, 4);
        assertTrue(ClassWeights.balanced().applyTo(floats).isFloat());
    }

    @Test
    void badWeightsAreRejectedNamingTheProblem() {
        assertMessage(() -> ClassWeights.of(1, -2, 1), "class 1", "-2.0", ">= 0");
        assertMessage(() -> ClassWeights.of(1, Double.NaN), "class 1", "NaN", "finite");
        assertMessage(() -> ClassWeights.of(Double.POSITIVE_INFINITY, 1), "class 0", "Infinity", "finite");
        assertMessage(() -> ClassWeights.of(), "empty", "one weight per class");
        assertMessage(() -> ClassWeights.of((double[]) null), "empty");
        assertMessage(() -> ClassWeights.of(0, 0), "all 2 class weights are zero");
        assertMessage(() -> ClassWeights.of(1, 2).perClass(six(null)), "got 2 class weights", "4 classes",
                "0 .. 3");
        assertMessage(() -> ClassWeights.of(1, 2, 3).applyTo(six(null)), "got 3 class weights");
        // zero on every class present (class 3 has no examples)
        assertMessage(() -> ClassWeights.of(0, 0, 0, 1).applyTo(six(null)), "every example weight 0", "0, 1, 2");
        assertMessage(() -> ClassWeights.of(1e308, 1e308, 1e308, 1).applyTo(six(null)), "scale the class weights");
        assertMessage(() -> ClassWeights.named("inverse"), "\"none\" or \"balanced\"", "inverse");
        assertMessage(() -> ClassWeights.balanced().perClass(null), "data must not be null");
        assertSame(ClassWeights.balanced(), ClassWeights.named(" Balanced "));
        assertSame(ClassWeights.none(), ClassWeights.named("none"));
        assertEquals("[1.0, 2.0]", ClassWeights.of(1, 2).toString());
        assertEquals(ClassWeights.of(1, 2), ClassWeights.of(1, 2));
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String... words) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "'" + e.getMessage() + "' does not say '" + w + "'");
        }
    }
}
