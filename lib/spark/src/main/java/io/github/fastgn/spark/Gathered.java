package io.github.fastgn.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Rows brought to the driver for the curvature, in global row order: compressed sparse rows
 * (a dense partition's rows with every value stored), labels and optional weights.
 */
final class Gathered implements Serializable {

    private static final long serialVersionUID = 1L;

    final int rows;
    final int[] rowStart;
    final int[] columns;
    final double[] values;
    final int[] labels;
    final double[] weights;

    private Gathered(int rows, int[] rowStart, int[] columns, double[] values, int[] labels, double[] weights) {
        this.rows = rows;
        this.rowStart = rowStart;
        this.columns = columns;
        this.values = values;
        this.labels = labels;
        this.weights = weights;
    }

    /** Rows {@code local[from .. from+count)} of {@code b} (all rows {@code from .. from+count} if {@code local} is null). */
    static Gathered of(Block b, int[] local, int from, int count) {
        int d = b.d;
        int[] rs = new int[count + 1];
        int nnz = 0;
        for (int a = 0; a < count; a++) {
            int i = local == null ? from + a : local[from + a];
            nnz += b.dense != null ? d : b.rowStart[i + 1] - b.rowStart[i];
            rs[a + 1] = nnz;
        }
        int[] cols = new int[nnz];
        double[] vals = new double[nnz];
        int[] y = new int[count];
        double[] w = b.weights == null ? null : new double[count];
        for (int a = 0; a < count; a++) {
            int i = local == null ? from + a : local[from + a];
            int o = rs[a];
            if (b.dense != null) {
                for (int j = 0; j < d; j++) {
                    cols[o + j] = j;
                }
                System.arraycopy(b.dense, i * d, vals, o, d);
            } else {
                int len = b.rowStart[i + 1] - b.rowStart[i];
                System.arraycopy(b.columns, b.rowStart[i], cols, o, len);
                System.arraycopy(b.values, b.rowStart[i], vals, o, len);
            }
            y[a] = b.labels[i];
            if (w != null) {
                w[a] = b.weights[i];
            }
        }
        return new Gathered(count, rs, cols, vals, y, w);
    }

    /** These rows followed by {@code o}'s. */
    Gathered append(Gathered o) {
        int n = rows + o.rows;
        int nnz = rowStart[rows];
        int[] rs = Arrays.copyOf(rowStart, n + 1);
        for (int a = 1; a <= o.rows; a++) {
            rs[rows + a] = nnz + o.rowStart[a];
        }
        int[] cols = Arrays.copyOf(columns, nnz + o.rowStart[o.rows]);
        System.arraycopy(o.columns, 0, cols, nnz, o.rowStart[o.rows]);
        double[] vals = Arrays.copyOf(values, nnz + o.rowStart[o.rows]);
        System.arraycopy(o.values, 0, vals, nnz, o.rowStart[o.rows]);
        int[] y = Arrays.copyOf(labels, n);
        System.arraycopy(o.labels, 0, y, rows, o.rows);
        double[] w = null;
        if (weights != null) {
            w = Arrays.copyOf(weights, n);
            System.arraycopy(o.weights, 0, w, rows, o.rows);
        }
        return new Gathered(n, rs, cols, vals, y, w);
    }
}
