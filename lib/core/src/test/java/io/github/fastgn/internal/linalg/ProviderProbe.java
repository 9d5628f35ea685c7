package io.github.fastgn.internal.linalg;

/**
 * Run in a child JVM by {@link KernelsTest}: prints the selected kernels after a small product
 * (proving the facade works), so the test can check the fallback without the Vector API module.
 */
public final class ProviderProbe {

    private ProviderProbe() {
    }

    public static void main(String[] args) {
        double[] x = {1, 2, 3, 4, 5, 6};
        double[] v = {1, 1, 1, 0.5};
        double[] out = new double[2];
        HeadKernels.rowProduct(x, 2, 3, v, 1, out, Parallel.SERIAL);
        if (out[0] != 6.5 || out[1] != 15.5) {
            throw new AssertionError(out[0] + " " + out[1]);
        }
        System.out.println(HeadKernels.implementation());
    }
}
