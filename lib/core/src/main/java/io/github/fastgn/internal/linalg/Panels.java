package io.github.fastgn.internal.linalg;

import java.util.Arrays;

/**
 * The row and transpose products for many classes on packed panels, the way BLIS-style GEMMs are
 * built: the operands are copied (and widened to double) into contiguous panels, and one
 * outer-product micro-kernel ({@link PanelKernel}: {@code mr x nr} multiply-adds a step) serves
 * both products. This class owns the packing, the per-thread buffers and the split into tasks;
 * the micro-kernel is the only part that differs between the Vector API path
 * ({@code VectorPanels}) and the plain-loop path ({@link ScalarPanels}).
 *
 * <p>Arithmetic, the same whichever tile, edge or thread computes an element:
 * <ul>
 *   <li>row product {@code out[i K + c] = b_c + sum_j x_ij v_cj}: the bias first, then the
 *       features in order {@code j = 0, 1, ..}, one multiply-add each;</li>
 *   <li>transpose product {@code out[c D + j] = sum_i coef_ic x_ij}: the examples in order, one
 *       multiply-add each (the bias column is the product with a packed column of ones).</li>
 * </ul>
 * Task bounds depend only on the shape and the kernel's tile, so results are bit-identical for any
 * thread count. Padding (classes or features past the end, rows past the last) is zeros and
 * never stored.
 */
final class Panels {

    /** Rows of X a row-product task packs and reuses over its panels. */
    static final int ROW_TILE = 64;
    /** Bytes of packed parameter panels one row-product task walks (kept in L2). */
    static final int PANEL_BLOCK_BYTES = 1 << 19;
    /** Examples per packed chunk of the transpose product. */
    static final int CHUNK = 128;
    /** Classes per transpose task at least (a multiple of the kernel's rows); a task takes every column. */
    static final int CLASS_TILE = 128;
    /**
     * Classes per transpose task at most. Each task packs every chunk's columns anew, so the classes
     * are split into as few tasks as the threads need (about {@code K / threads} each): on the
     * {@code syn} shape ({@code 50000 x 256 x 1000}, two threads) 128-class tasks packed the
     * features eight times per product. 512 classes of a 257-column task's output (1 MB) still
     * fit in L2 beside the packed chunk.
     */
    static final int MAX_CLASS_TILE = 512;

    // packing buffers, by role: the calling thread's parameter panels and biases, each task's rows,
    // columns, coefficient group and edge tile
    private static final int PARAMETERS = 0;
    private static final int BIASES = 1;
    private static final int ROWS = 2;
    private static final int COLUMNS = 3;
    private static final int GROUP = 4;
    private static final int TILE = 5;

    /**
     * Each thread's packing buffers, kept between products and grown when a larger one is needed
     * (as BLIS keeps its packing buffers): a product inside CG would otherwise allocate the
     * parameter panels ({@code 8 K d} bytes, 2 MB on {@code syn}: a humongous G1 allocation) and
     * every task's panels anew. A thread keeps at most the largest product's panels (e.g. 4 MB of
     * parameters for {@code K = 1000}, {@code d = 512}). No buffer is used by two products at once:
     * the parameters and biases only on the calling thread, while the tasks that read them run; the
     * others only inside one task, which runs to its end on one thread.
     */
    private static final ThreadLocal<double[][]> BUFFERS = ThreadLocal.withInitial(() -> new double[6][0]);

    private final PanelKernel kernel;
    private final int mr;
    private final int nr;

    Panels(PanelKernel kernel) {
        if (kernel.mr <= 0 || kernel.nr <= 0 || CLASS_TILE % kernel.mr != 0 || MAX_CLASS_TILE % kernel.mr != 0) {
            throw new IllegalArgumentException("a " + kernel.mr + " x " + kernel.nr + " tile does not divide "
                    + CLASS_TILE + "-class tasks");
        }
        this.kernel = kernel;
        this.mr = kernel.mr;
        this.nr = kernel.nr;
    }

    /** Whether the panels suit {@code d} features and {@code k} classes (the kernel's threshold). */
    boolean suits(int d, int k) {
        return kernel.suits(d, k);
    }

    /**
     * Whether the panels suit the lower-triangle moment of {@code d} features ({@link #momentLowerTriangle}):
     * as a {@code d}-class product, in narrow strips (it computes each group's columns in whole
     * strips: the plain-loop kernel's 256-wide strips would compute most of the upper triangle too).
     */
    boolean suitsMoment(int d) {
        return 2 * nr <= CLASS_TILE && suits(d, d);
    }

    /** This thread's buffer for {@code role}, at least {@code length} long (contents left over). */
    private static double[] buffer(int role, int length) {
        double[][] b = BUFFERS.get();
        if (b[role].length < length) {
            b[role] = new double[length];
        }
        return b[role];
    }

    /**
     * {@code out[i*k + c] = v[c*dd + d] + sum_j x[i*d + j] v[c*dd + j]} for every row and class
     * ({@code dd = d + 1}); features from {@code xd} or, when it is null, {@code xf}.
     */
    void rowProduct(double[] xd, float[] xf, int rows, int d, double[] v, int k, double[] out, Parallel par) {
        int dd = d + 1;
        int panels = (k + nr - 1) / nr;
        // the parameters once, as panels [p][j][nr] (padding classes zero), and the biases [p][nr]
        double[] wp = buffer(PARAMETERS, panels * d * nr);
        double[] bp = buffer(BIASES, panels * nr);
        for (int c = k; c < panels * nr; c++) {
            int p = c / nr;
            int lane = c - p * nr;
            for (int j = 0; j < d; j++) {
                wp[p * d * nr + lane + j * nr] = 0.0;
            }
            bp[p * nr + lane] = 0.0;
        }
        for (int c = 0; c < k; c++) {
            int p = c / nr;
            int lane = c - p * nr;
            int base = p * d * nr + lane;
            int vo = c * dd;
            for (int j = 0; j < d; j++) {
                wp[base + j * nr] = v[vo + j];
            }
            bp[p * nr + lane] = v[vo + d];
        }
        int perBlock = Math.max(1, PANEL_BLOCK_BYTES / (8 * d * nr));
        int blocks = (panels + perBlock - 1) / perBlock;
        int rowTiles = (rows + ROW_TILE - 1) / ROW_TILE;
        int tasks = rowTiles * blocks;
        long work = (long) rows * d * k;
        int packedRows = (ROW_TILE + mr - 1) / mr * mr;
        par.forRange(tasks, work < Kernels.PARALLEL_WORK ? tasks : 1, (lo, hi) -> {
            double[] xp = buffer(ROWS, packedRows * d);
            double[] t = buffer(TILE, mr * nr);
            int packed = -1;
            for (int task = lo; task < hi; task++) {
                int rt = task / blocks;
                int r0 = rt * ROW_TILE;
                int r1 = Math.min(rows, r0 + ROW_TILE);
                if (packed != rt) {
                    packRows(xd, xf, d, r0, r1, xp);
                    packed = rt;
                }
                int p0 = (task % blocks) * perBlock;
                int p1 = Math.min(panels, p0 + perBlock);
                for (int p = p0; p < p1; p++) {
                    int c0 = p * nr;
                    int width = Math.min(nr, k - c0);
                    for (int i0 = r0; i0 < r1; i0 += mr) {
                        int height = Math.min(mr, r1 - i0);
                        int ao = (i0 - r0) * d;
                        if (kernel.partialTiles() || height == mr && width == nr) {
                            kernel.multiply(xp, ao, mr, wp, p * d * nr, d, height, width, bp, c0, 0, out, i0 * k + c0, k);
                        } else {
                            kernel.multiply(xp, ao, mr, wp, p * d * nr, d, mr, nr, bp, c0, 0, t, 0, nr);
                            for (int r = 0; r < height; r++) {
                                System.arraycopy(t, r * nr, out, (i0 + r) * k + c0, width);
                            }
                        }
                    }
                }
            }
        });
    }

    /**
     * Rows {@code [r0, r1)} of the features as blocks of {@code mr} rows, each block
     * {@code [j][mr]} (row {@code r} of block {@code b} at {@code xp[b mr d + j mr + r]}), rows
     * past {@code r1} zero.
     */
    private void packRows(double[] xd, float[] xf, int d, int r0, int r1, double[] xp) {
        for (int i0 = r0; i0 < r1; i0 += mr) {
            int base = (i0 - r0) * d;
            int height = Math.min(mr, r1 - i0);
            for (int r = 0; r < height; r++) {
                int xo = (i0 + r) * d;
                for (int j = 0; j < d; j++) {
                    xp[base + j * mr + r] = xd != null ? xd[xo + j] : xf[xo + j];
                }
            }
            for (int r = height; r < mr; r++) {
                for (int j = 0; j < d; j++) {
                    xp[base + j * mr + r] = 0.0;
                }
            }
        }
    }

    /**
     * {@code out[c*dd + j] = sum_i coef[i*k + c] x~_ij} for every class and column {@code j <= d}
     * ({@code dd = d + 1}, {@code x~_id = 1}: the bias column sums the coefficients), summed in
     * order of {@code i}; features from {@code xd} or, when it is null, {@code xf}. In tasks of
     * {@link #classTile} classes, each over all rows in chunks of {@link #CHUNK}: the chunk's columns
     * packed once into strips of {@code nr} (column {@code d} is the bias's ones), the coefficients
     * read where they lie ({@code mr} consecutive classes of a row; a last, partial group is packed
     * with zeros).
     */
    void transposeProduct(double[] coef, double[] xd, float[] xf, int rows, int d, int k, double[] out, Parallel par) {
        int dd = d + 1;
        int tile = classTile(k, par.threads());
        int classTiles = (k + tile - 1) / tile;
        int strips = (dd + nr - 1) / nr;
        long work = (long) rows * dd * k;
        par.forRange(classTiles, work < Kernels.PARALLEL_WORK ? classTiles : 1, (lo, hi) -> {
            double[] cp = buffer(GROUP, mr * CHUNK);
            double[] xq = buffer(COLUMNS, strips * nr * CHUNK);
            double[] t = buffer(TILE, mr * nr);
            for (int task = lo; task < hi; task++) {
                int c0 = task * tile;
                int c1 = Math.min(k, c0 + tile);
                for (int c = c0; c < c1; c++) {
                    Arrays.fill(out, c * dd, c * dd + dd, 0.0);
                }
                int groups = (c1 - c0 + mr - 1) / mr;
                for (int i0 = 0; i0 < rows; i0 += CHUNK) {
                    int kc = Math.min(CHUNK, rows - i0);
                    packColumns(xd, xf, d, i0, kc, strips, xq);
                    for (int g = 0; g < groups; g++) {
                        int cg = c0 + g * mr;
                        int height = Math.min(mr, c1 - cg);
                        if (height < mr && !kernel.partialTiles()) {
                            packGroup(coef, k, i0, kc, cg, height, cp);
                            strips(cp, 0, mr, xq, kc, height, dd, out, cg * dd, dd, t);
                        } else {
                            strips(coef, i0 * k + cg, k, xq, kc, height, dd, out, cg * dd, dd, t);
                        }
                    }
                }
            }
        });
    }

    /**
     * One group's tiles along the packed strips of a chunk: rows {@code [0, height)} of the group
     * ({@code a} from {@code ao}, stride {@code lda}) times columns {@code [0, columns)} of the
     * strips ({@code kc} examples each), added to {@code out} from {@code oo} (stride {@code ldd});
     * edge tiles through the scratch tile {@code t} when the kernel computes whole tiles only.
     */
    private void strips(double[] a, int ao, int lda, double[] xq, int kc, int height, int columns, double[] out,
                        int oo, int ldd, double[] t) {
        for (int js = 0; js < columns; js += nr) {
            int width = Math.min(nr, columns - js);
            int bo = js * kc;
            int to = oo + js;
            if (kernel.partialTiles() || height == mr && width == nr) {
                kernel.multiply(a, ao, lda, xq, bo, kc, height, width, out, to, ldd, out, to, ldd);
            } else {
                for (int r = 0; r < height; r++) {
                    System.arraycopy(out, to + r * ldd, t, r * nr, width);
                }
                kernel.multiply(a, ao, lda, xq, bo, kc, mr, nr, t, 0, nr, t, 0, nr);
                for (int r = 0; r < height; r++) {
                    System.arraycopy(t, r * nr, out, to + r * ldd, width);
                }
            }
        }
    }

    /**
     * The lower triangle (in whole strips of {@code nr} columns) and the bias column of the weighted
     * second moment {@code sum_i w_i x_i x~_i^T}, the {@code d} features as classes: row {@code c < d}
     * of {@code out} ({@code dd = d + 1} wide) gets {@code sum_i (w_i x_ic) x_ij} for every
     * {@code j <= c} (the entries above the diagonal in the same strips are left anything) and
     * {@code sum_i w_i x_ic} at {@code j = d}, each summed over the rows in order from 0, one
     * multiply-add a row. {@link Kernels#secondMoment} mirrors the rest.
     *
     * <p>The classes go in groups of {@code mr} features, dealt to the tasks in turn (a task's groups
     * then hold about the same share of the triangle). A task packs each chunk of {@link #CHUNK}
     * rows once, in the strips its last group needs, and for each of its groups packs the scaled
     * features {@code w_i x_ic} of the chunk as the kernel's left panel (the values of a
     * {@code rows x d} coefficient array, without writing one: the {@code 8 rows d} bytes of that
     * array were written and read again for every block of rows) and runs the strips up to the
     * group's last column only. Measured (a timed loop, one thread, 4096 x 256 float features, vector
     * kernels): 15.5 ms a block when the moment was a transpose product of a coefficient array in
     * tasks of 128 classes (which computed columns up to the task's last class for every class of
     * it: 1.6 times the triangle's multiply-adds). Which task holds a group changes no sum, so the
     * bits are those of any thread count.
     */
    void momentLowerTriangle(double[] w, double[] xd, float[] xf, int rows, int d, double[] out, Parallel par) {
        int dd = d + 1;
        int groups = (d + mr - 1) / mr;
        long work = (long) rows * d * d / 2;
        int tasks = work < Kernels.PARALLEL_WORK ? 1 : Math.min(groups, par.threads());
        for (int c = 0; c < d; c++) {
            Arrays.fill(out, c * dd, c * dd + dd, 0.0);
        }
        par.forRange(tasks, 1, (lo, hi) -> {
            double[] cp = buffer(GROUP, mr * CHUNK);
            double[] xq = buffer(COLUMNS, (dd + nr - 1) / nr * nr * CHUNK);
            double[] t = buffer(TILE, mr * nr);
            for (int q = lo; q < hi; q++) {
                int last = q + (groups - 1 - q) / tasks * tasks;
                int strips = (Math.min(d, last * mr + mr) + nr - 1) / nr;
                for (int i0 = 0; i0 < rows; i0 += CHUNK) {
                    int kc = Math.min(CHUNK, rows - i0);
                    packColumns(xd, xf, d, i0, kc, strips, xq);
                    for (int g = q; g < groups; g += tasks) {
                        int cg = g * mr;
                        int height = Math.min(mr, d - cg);
                        packScaledGroup(w, xd, xf, d, i0, kc, cg, height, cp);
                        strips(cp, 0, mr, xq, kc, height, Math.min(d, cg + mr), out, cg * dd, dd, t);
                    }
                }
            }
        });
        // the bias column sum_i w_i x_ic, the rows in order (the products as the panels would form them), in a
        // pass of its own over the rows: summed from each group's packed values inside the tasks instead (the
        // same bits) a 4096 x 256 float block took 9.0 ms against 8.2 on one thread
        double[] sum = new double[d];
        for (int i = 0; i < rows; i++) {
            double wi = w[i];
            int o = i * d;
            if (xd != null) {
                for (int c = 0; c < d; c++) {
                    sum[c] += wi * xd[o + c];
                }
            } else {
                for (int c = 0; c < d; c++) {
                    sum[c] += wi * xf[o + c];
                }
            }
        }
        for (int c = 0; c < d; c++) {
            out[c * dd + d] = sum[c];
        }
    }

    /**
     * Features {@code [cg, cg + height)} of examples {@code [i0, i0 + kc)}, each times its weight, as
     * {@code [i][mr]}, the missing features zero.
     */
    private void packScaledGroup(double[] w, double[] xd, float[] xf, int d, int i0, int kc, int cg, int height,
                                 double[] cp) {
        for (int i = 0; i < kc; i++) {
            double wi = w[i0 + i];
            int xo = (i0 + i) * d + cg;
            int po = i * mr;
            if (xd != null) {
                for (int r = 0; r < height; r++) {
                    cp[po + r] = wi * xd[xo + r];
                }
            } else {
                for (int r = 0; r < height; r++) {
                    cp[po + r] = wi * xf[xo + r];
                }
            }
            for (int r = height; r < mr; r++) {
                cp[po + r] = 0.0;
            }
        }
    }

    /**
     * Classes per task of a {@code k}-class transpose product on {@code threads} threads: an even
     * share of the classes in whole groups of the kernel's rows, between {@link #CLASS_TILE} and
     * {@link #MAX_CLASS_TILE}. Every entry is summed over the examples in order by whichever task
     * holds its class, so the tile never changes a bit.
     */
    private int classTile(int k, int threads) {
        int share = (k + Math.max(1, threads) - 1) / Math.max(1, threads);
        return Math.max(CLASS_TILE, Math.min(MAX_CLASS_TILE, (share + mr - 1) / mr * mr));
    }

    /** Classes {@code [cg, cg + height)} of examples {@code [i0, i0 + kc)} as {@code [i][mr]}, the missing classes zero. */
    private void packGroup(double[] coef, int k, int i0, int kc, int cg, int height, double[] cp) {
        for (int i = 0; i < kc; i++) {
            int co = (i0 + i) * k + cg;
            int po = i * mr;
            for (int r = 0; r < mr; r++) {
                cp[po + r] = r < height ? coef[co + r] : 0.0;
            }
        }
    }

    /**
     * Columns of examples {@code [i0, i0 + kc)} as {@code strips} strips of {@code nr}, each
     * {@code [i][nr]}: the features, then the bias's 1 at column {@code d}, then zeros.
     */
    private void packColumns(double[] xd, float[] xf, int d, int i0, int kc, int strips, double[] xq) {
        for (int s = 0; s < strips; s++) {
            int js = s * nr;
            int width = Math.max(0, Math.min(nr, d - js));
            int base = s * nr * kc;
            for (int i = 0; i < kc; i++) {
                int xo = (i0 + i) * d + js;
                int po = base + i * nr;
                if (xd != null) {
                    for (int c = 0; c < width; c++) {
                        xq[po + c] = xd[xo + c];
                    }
                } else {
                    for (int c = 0; c < width; c++) {
                        xq[po + c] = xf[xo + c];
                    }
                }
                for (int c = width; c < nr; c++) {
                    xq[po + c] = js + c == d ? 1.0 : 0.0;
                }
            }
        }
    }
}
