package io.github.fastgn.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Rows brought to the driver for the curvature, in global row order, as the partitions hold them:
 * dense rows row-major in their cached precision (a float partition's rows travel as 4 bytes a value,
 * a third of the column index and double value per entry they took as compressed rows: on {@code syn}
 * the first pass brought 154 MB instead of 51), compressed sparse rows otherwise; labels and optional
 * weights. {@link #append} keeps each partition's part as it came (merging {@code P} partitions' rows
 * one after another copied {@code O(P^2)} rows); the driver reads the parts once, in order, through
 * {@link #forEach}.
 */
final class Gathered implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Every row's label, in order ({@code rows}). */
    final int rows;
    private final List<Part> parts;

    /** One partition's rows: dense float, dense double or compressed sparse. */
    private static final class Part implements Serializable {
        private static final long serialVersionUID = 1L;
        final int rows;
        final float[] single;
        final double[] dense;
        final int[] rowStart;
        final int[] columns;
        final double[] values;
        final int[] labels;
        final double[] weights;

        Part(int rows, float[] single, double[] dense, int[] rowStart, int[] columns, double[] values, int[] labels,
             double[] weights) {
            this.rows = rows;
            this.single = single;
            this.dense = dense;
            this.rowStart = rowStart;
            this.columns = columns;
            this.values = values;
            this.labels = labels;
            this.weights = weights;
        }
    }

    /** Receives a row's stored values, in row order and, within a row, in column order. */
    interface Cell {
        void accept(int row, int column, double value);
    }

    private Gathered(List<Part> parts) {
        this.parts = parts;
        int n = 0;
        for (Part p : parts) {
            n += p.rows;
        }
        this.rows = n;
    }

    /** Rows {@code local[from .. from+count)} of {@code b} (rows {@code from .. from+count} if {@code local} is null). */
    static Gathered of(Block b, int[] local, int from, int count) {
        int d = b.d;
        int[] y = new int[count];
        boolean weighted = b.chunks.length > 0 && b.chunks[0].weights != null;
        double[] w = weighted ? new double[count] : null;
        // a partition's chunks share one storage: the first one's
        Block.Chunk first = b.chunks[0];
        float[] single = first.single != null ? new float[count * d] : null;
        double[] dense = first.dense != null ? new double[count * d] : null;
        int[] rs = null;
        int[] cols = null;
        double[] vals = null;
        if (!first.isDense()) {
            rs = new int[count + 1];
            for (int a = 0; a < count; a++) {
                int i = local == null ? from + a : local[from + a];
                Block.Chunk ch = b.chunks[i / Block.CHUNK_ROWS];
                int r = i % Block.CHUNK_ROWS;
                rs[a + 1] = rs[a] + ch.rowStart[r + 1] - ch.rowStart[r];
            }
            cols = new int[rs[count]];
            vals = new double[rs[count]];
        }
        for (int a = 0; a < count; a++) {
            int i = local == null ? from + a : local[from + a];
            Block.Chunk ch = b.chunks[i / Block.CHUNK_ROWS];
            int r = i % Block.CHUNK_ROWS;
            if (single != null) {
                System.arraycopy(ch.single, r * d, single, a * d, d);
            } else if (dense != null) {
                System.arraycopy(ch.dense, r * d, dense, a * d, d);
            } else {
                int len = ch.rowStart[r + 1] - ch.rowStart[r];
                System.arraycopy(ch.columns, ch.rowStart[r], cols, rs[a], len);
                System.arraycopy(ch.values, ch.rowStart[r], vals, rs[a], len);
            }
            y[a] = ch.labels[r];
            if (w != null) {
                w[a] = ch.weights[r];
            }
        }
        return new Gathered(List.of(new Part(count, single, dense, rs, cols, vals, y, w)));
    }

    /** These rows followed by {@code o}'s (the parts themselves, not copies). */
    Gathered append(Gathered o) {
        List<Part> all = new ArrayList<>(parts.size() + o.parts.size());
        all.addAll(parts);
        all.addAll(o.parts);
        return new Gathered(all);
    }

    /** Every row's label, in order. */
    int[] labels() {
        return concatenated(new int[rows], p -> p.labels);
    }

    /** Every row's weight, in order; null when the rows carry none. */
    double[] weights() {
        return parts.isEmpty() || parts.get(0).weights == null ? null : concatenated(new double[rows], p -> p.weights);
    }

    /** {@code out} filled with each part's array {@code field} (one value a row), in order. */
    private <A> A concatenated(A out, Function<Part, A> field) {
        int at = 0;
        for (Part p : parts) {
            System.arraycopy(field.apply(p), 0, out, at, p.rows);
            at += p.rows;
        }
        return out;
    }

    /** The values {@link #forEach} visits: every value of a dense row, the stored ones of a sparse row. */
    long storedValues(int d) {
        long s = 0;
        for (Part p : parts) {
            s += p.rowStart != null ? p.rowStart[p.rows] : (long) p.rows * d;
        }
        return s;
    }

    /** Visits the rows' values ({@code d} features a row): every value of a dense row, the stored ones of a sparse one. */
    void forEach(int d, Cell cell) {
        int base = 0;
        for (Part p : parts) {
            for (int i = 0; i < p.rows; i++) {
                if (p.rowStart != null) {
                    for (int q = p.rowStart[i]; q < p.rowStart[i + 1]; q++) {
                        cell.accept(base + i, p.columns[q], p.values[q]);
                    }
                } else {
                    for (int j = 0; j < d; j++) {
                        cell.accept(base + i, j, p.single != null ? p.single[i * d + j] : p.dense[i * d + j]);
                    }
                }
            }
            base += p.rows;
        }
    }
}
