package io.github.fastgn.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded, reproducible train/test splits. */
public final class Splits {

    private Splits() {
    }

    /** A train/test pair. */
    public record Split(LabelledData train, LabelledData test) {
    }

    /**
     * Which of the first {@code n} examples {@link #stratified} puts in the test part: it depends on
     * the labels, the fraction and the seed only, so a loader can pick the same examples before it
     * reads their features.
     */
    static boolean[] stratifiedMask(int[] labels, int n, int k, double testFraction, long seed) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            byClass.get(labels[i]).add(i);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        boolean[] test = new boolean[n];
        for (List<Integer> members : byClass) {
            int[] idx = members.stream().mapToInt(Integer::intValue).toArray();
            for (int i = idx.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
            int nTest = (int) Math.round(testFraction * idx.length);
            for (int i = 0; i < nTest; i++) {
                test[idx[i]] = true;
            }
        }
        return test;
    }

    /**
     * A stratified split: within each class, a seeded shuffle puts {@code round(testFraction * count)}
     * examples into the test part (the 80/20 protocol of EXPERIMENTS.md (b, d) uses {@code testFraction = 0.2}).
     * Both parts keep the original order of their examples.
     *
     * @throws IllegalArgumentException if {@code data} is null, {@code testFraction} is outside (0, 1), or
     *                                  a part would be empty
     */
    public static Split stratified(LabelledData data, double testFraction, long seed) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction must lie in (0, 1), got " + testFraction);
        }
        boolean[] test = stratifiedMask(data.labels(), data.size(), data.classCount(), testFraction, seed);
        int nTest = 0;
        for (boolean t : test) {
            nTest += t ? 1 : 0;
        }
        if (nTest == 0 || nTest == data.size()) {
            throw new IllegalArgumentException("a stratified split of " + data.size() + " examples with testFraction "
                    + testFraction + " leaves the " + (nTest == 0 ? "test" : "training") + " part empty (each class"
                    + " gives round(testFraction * its count) examples to the test part); use more examples or "
                    + (nTest == 0 ? "a larger" : "a smaller") + " testFraction");
        }
        int[] trainIdx = new int[data.size() - nTest];
        int[] testIdx = new int[nTest];
        int a = 0;
        int b = 0;
        for (int i = 0; i < data.size(); i++) {
            if (test[i]) {
                testIdx[b++] = i;
            } else {
                trainIdx[a++] = i;
            }
        }
        return new Split(data.subset(trainIdx), data.subset(testIdx));
    }
}
