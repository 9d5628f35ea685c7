package io.github.fastgn.internal.linalg;

/**
 * The outer-product micro-kernel that {@link Panels} runs on its packed panels: it declares its
 * tile ({@link #mr} x {@link #nr}) and whether it can compute a partial tile in place, and
 * computes one tile. Implementations: {@code VectorPanels} (the Vector API, fused multiply-adds)
 * and {@link ScalarPanels} (plain loops C2 auto-vectorises, separate multiply and add).
 */
abstract class PanelKernel {

    /** Rows of the micro-tile: rows of X (row product) or classes (transpose product). */
    final int mr;
    /** Columns of the micro-tile: classes (row product) or features (transpose product). */
    final int nr;

    PanelKernel(int mr, int nr) {
        this.mr = mr;
        this.nr = nr;
    }

    /**
     * Whether the panels pay for {@code d} features and {@code k} classes (below, the products
     * stay on the dot and axpy tiles): by default at least one whole tile of each.
     */
    boolean suits(int d, int k) {
        return k >= nr && d >= nr;
    }

    /**
     * Whether {@link #multiply} computes only the {@code height x width} corner it is given (and
     * touches nothing else of {@code src} and {@code dst}); when false it always computes the
     * whole {@code mr x nr} tile and {@link Panels} sends edge tiles through a scratch tile.
     */
    abstract boolean partialTiles();

    /**
     * {@code dst[dso + r ldd + c] = src[so + r lds + c] + sum_(s < kc) a[ao + s lda + r] b[bo + s nr + c]}
     * for {@code r < height}, {@code c < width} (or the whole tile, see {@link #partialTiles}),
     * each entry starting from its {@code src} value and adding the terms in order of {@code s},
     * one multiply-add each ({@code lds = 0} starts every row from the same values). {@code src}
     * and {@code dst} may be the same entries.
     */
    abstract void multiply(double[] a, int ao, int lda, double[] b, int bo, int kc, int height, int width,
                           double[] src, int so, int lds, double[] dst, int dso, int ldd);
}
