package io.github.fastgn.data;

import java.util.Arrays;
import java.util.Locale;

/**
 * Per-class weights on top of the example weights: the effective weight of example {@code i} is
 * {@code c_i = w_i * classWeight[y_i]} ({@code w_i = 1} for unweighted data), and the trainers
 * minimise {@code sum_i c_i CE_i / sum_i c_i + l2/2 ||W||^2}. Since the objective is a weighted
 * mean, only the ratios of the class weights matter; an integer class weight {@code m} acts as
 * {@code m} copies of each example of that class.
 *
 * <p>{@link #balanced()} follows scikit-learn's {@code class_weight="balanced"},
 * {@code n_samples / (K * count_k)}, with the counts <em>weighted by the example weights</em>:
 * {@code count_k = sum_{y_i = k} w_i} and {@code n_samples = sum_i w_i}. Unweighted data give
 * scikit-learn's numbers exactly; weighted data are balanced as the data they stand for (an example
 * of weight 3 counts as three examples), so after balancing every class holds the same total weight
 * and balancing twice changes nothing. {@code K} is the number of classes present (with a positive
 * total weight); a class without examples keeps weight 1, which weights nothing.
 *
 * <p>Immutable. Nothing passed in is modified: {@link #applyTo} returns new data sharing the
 * features and labels.
 */
public final class ClassWeights {

    private static final ClassWeights NONE = new ClassWeights(null, false);
    private static final ClassWeights BALANCED = new ClassWeights(null, true);

    /** Explicit per-class weights, or null for {@link #none()} and {@link #balanced()}. */
    private final double[] perClass;
    private final boolean balanced;

    private ClassWeights(double[] perClass, boolean balanced) {
        this.perClass = perClass;
        this.balanced = balanced;
    }

    /** Every class weighs 1: the example weights alone. */
    public static ClassWeights none() {
        return NONE;
    }

    /** {@code sum_i w_i / (K * sum_{y_i = k} w_i)} for class {@code k} (see the class comment). */
    public static ClassWeights balanced() {
        return BALANCED;
    }

    /**
     * Explicit weights, one per class index {@code 0 .. K-1}.
     *
     * @param perClass finite, non-negative, at least one positive (copied)
     * @throws IllegalArgumentException naming the first bad weight and the fix
     */
    public static ClassWeights of(double... perClass) {
        if (perClass == null || perClass.length == 0) {
            throw new IllegalArgumentException("class weights must not be empty: give one weight per class"
                    + " (class index 0 .. K-1), or use ClassWeights.none()");
        }
        boolean positive = false;
        for (int c = 0; c < perClass.length; c++) {
            if (!(perClass[c] >= 0) || !Double.isFinite(perClass[c])) {
                throw new IllegalArgumentException("the weight of class " + c + " is " + perClass[c]
                        + "; class weights must be finite and >= 0");
            }
            positive |= perClass[c] > 0;
        }
        if (!positive) {
            throw new IllegalArgumentException("all " + perClass.length + " class weights are zero: at least one"
                    + " class needs a positive weight");
        }
        return new ClassWeights(perClass.clone(), false);
    }

    /**
     * The weights named by a configuration value: "none" or "balanced" (case-insensitive).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static ClassWeights named(String name) {
        String s = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "none":
                return NONE;
            case "balanced":
                return BALANCED;
            default:
                throw new IllegalArgumentException("class weighting must be \"none\" or \"balanced\", got \"" + name
                        + "\"; explicit per-class weights are given with ClassWeights.of(...)");
        }
    }

    /** Whether these are {@link #none()}: every class weighs 1. */
    public boolean isNone() {
        return !balanced && perClass == null;
    }

    /** Whether these are {@link #balanced()}. */
    public boolean isBalanced() {
        return balanced;
    }

    /**
     * The weight of each class of {@code data} ({@code K} values; balanced weights computed from its
     * labels and example weights).
     *
     * @throws IllegalArgumentException if explicit weights do not have one entry per class of the data
     */
    public double[] perClass(LabelledData data) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        int k = data.classCount();
        if (perClass != null) {
            if (perClass.length != k) {
                throw new IllegalArgumentException("got " + perClass.length + " class weights for data with " + k
                        + " classes: give one weight per class index 0 .. " + (k - 1));
            }
            return perClass.clone();
        }
        double[] out = new double[k];
        Arrays.fill(out, 1.0);
        if (!balanced) {
            return out;
        }
        double[] mass = new double[k];
        double total = 0;
        int[] y = data.labels();
        double[] w = data.weights();
        for (int i = 0; i < y.length; i++) {
            double wi = w == null ? 1.0 : w[i];
            mass[y[i]] += wi;
            total += wi;
        }
        int present = 0;
        for (double m : mass) {
            if (m > 0) {
                present++;
            }
        }
        for (int c = 0; c < k; c++) {
            if (mass[c] > 0) {
                out[c] = total / (present * mass[c]);
            }
        }
        return out;
    }

    /**
     * The effective example weights {@code w_i * classWeight[y_i]} of {@code data}, a new array; null
     * for {@link #none()} on unweighted data (the unweighted objective).
     *
     * @throws IllegalArgumentException if explicit weights have the wrong length, or give every
     *                                  example weight zero
     */
    public double[] exampleWeights(LabelledData data) {
        double[] cw = perClass(data);
        double[] w = data.weights();
        if (isNone()) {
            return w == null ? null : w.clone();
        }
        int[] y = data.labels();
        double[] out = new double[y.length];
        double total = 0;
        for (int i = 0; i < y.length; i++) {
            out[i] = (w == null ? 1.0 : w[i]) * cw[y[i]];
            total += out[i];
        }
        if (!(total > 0)) {
            throw new IllegalArgumentException("the class weights " + this + " give every example weight 0: the"
                    + " classes present in the data (" + presentClasses(data) + ") need a positive weight");
        }
        if (!Double.isFinite(total)) {
            throw new IllegalArgumentException("the class weights " + this + " make the total example weight "
                    + total + "; scale the class weights down (only their ratios matter)");
        }
        return out;
    }

    /**
     * {@code data} with the effective example weights (features and labels shared, not copied;
     * {@code data} itself is not modified); {@code data} itself for {@link #none()}.
     *
     * @throws IllegalArgumentException as {@link #exampleWeights}
     */
    public LabelledData applyTo(LabelledData data) {
        if (isNone()) {
            if (data == null) {
                throw new IllegalArgumentException("data must not be null");
            }
            return data;
        }
        return data.withWeights(exampleWeights(data));
    }

    private static String presentClasses(LabelledData data) {
        int[] counts = data.classCounts();
        StringBuilder s = new StringBuilder();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] > 0) {
                s.append(s.length() == 0 ? "" : ", ").append(c);
            }
        }
        return s.toString();
    }

    /** "none", "balanced" or the explicit weights, e.g. "[1.0, 2.5]". */
    @Override
    public String toString() {
        return balanced ? "balanced" : perClass == null ? "none" : Arrays.toString(perClass);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassWeights && ((ClassWeights) o).balanced == balanced
                && Arrays.equals(((ClassWeights) o).perClass, perClass);
    }

    @Override
    public int hashCode() {
        return 31 * Boolean.hashCode(balanced) + Arrays.hashCode(perClass);
    }
}
