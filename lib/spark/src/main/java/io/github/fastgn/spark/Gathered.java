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

    /** Rows {@code local[from .. from+count)} of {@code b} (rows {@code from .. from+count} if {@code local} is null). */
    static Gathered of(Block b, int[] local, int from, int count) {
        int d = b.d;
        int[] rs = new int[count + 1];
        int nnz = 0;
        for (int a = 0; a < count; a++) {
            int i = local == null ? from + a : local[from + a];
            Block.Chunk ch = b.chunks[i / Block.CHUNK_ROWS];
            int r = i % Block.CHUNK_ROWS;
            nnz += ch.isDense() ? d : ch.rowStart[r + 1] - ch.rowStart[r];
            rs[a + 1] = nnz;
        }
        int[] cols = new int[nnz];
        double[] vals = new double[nnz];
        int[] y = new int[count];
        boolean weighted = b.chunks.length > 0 && b.chunks[0].weights != null;
        double[] w = weighted ? new double[count] : null;
        for (int a = 0; a < count; a++) {
            int i = local == null ? from + a : local[from + a];
            Block.Chunk ch = b.chunks[i / Block.CHUNK_ROWS];
            int r = i % Block.CHUNK_ROWS;
            int o = rs[a];
            if (ch.isDense()) {
                for (int j = 0; j < d; j++) {
                    cols[o + j] = j;
                }
                ch.denseRow(r, d, vals, o);
            } else {
                int len = ch.rowStart[r + 1] - ch.rowStart[r];
                System.arraycopy(ch.columns, ch.rowStart[r], cols, o, len);
                System.arraycopy(ch.values, ch.rowStart[r], vals, o, len);
            }
            y[a] = ch.labels[r];
            if (w != null) {
                w[a] = ch.weights[r];
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
