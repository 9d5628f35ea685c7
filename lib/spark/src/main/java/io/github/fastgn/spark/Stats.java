package io.github.fastgn.spark;

import io.github.fastgn.data.ColumnMoments;

import java.io.Serializable;

/**
 * What reading one partition found: its rows, stored values, total weight, largest label, the
 * weighted column means and second moments (for the standardisation), and the first bad value
 * (by row within the partition; the driver turns it into a global example index and the core's
 * message). Partitions' moments merge in order ({@link ColumnMoments#merge}).
 */
final class Stats implements Serializable {

    private static final long serialVersionUID = 1L;

    final int partition;
    int rows;
    long stored;
    int d = -1;
    double weight;
    int maxLabel = -1;
    int minLabel = Integer.MAX_VALUE;
    /**
     * The partition's weighted column moments (the core's overflow-safe sums, which merge in
     * partition order), or null when a problem was found first or the partition is empty.
     */
    ColumnMoments moments;
    /** The first problem: the row (within the partition) and what is wrong with it, or null. */
    String problem;
    int problemRow = -1;
    /** Which check found it: "feature", "label", "weight" or "row". */
    String kind;

    Stats(int partition) {
        this.partition = partition;
    }

    void problem(int row, String what) {
        set(row, "row", what);
    }

    void nonFinite(int row, int column, double value) {
        set(row, "feature", "feature " + column + " of example %d is " + value
                + "; remove or impute non-finite values before training");
    }

    void badLabel(int row, double label) {
        set(row, "label", "label " + label + " of example %d is not a class index: labels must be integers in"
                + " [0, K) (index string labels with StringIndexer)");
    }

    void badWeight(int row, double w) {
        set(row, "weight", "weight of example %d is " + w + "; weights must be finite and >= 0");
    }

    private void set(int row, String kind, String what) {
        if (problem == null) {
            problem = what;
            problemRow = row;
            this.kind = kind;
        }
    }
}
