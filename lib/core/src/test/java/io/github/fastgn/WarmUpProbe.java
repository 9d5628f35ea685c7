package io.github.fastgn;

import io.github.fastgn.data.LabelledData;
import io.github.fastgn.internal.linalg.KernelWarmUp;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.testing.RandomProblem;

/**
 * Run by {@link KernelWarmUpTest} in a fresh JVM: starts the float warm-up twice (prints whether each
 * call started a thread), then fits a float-row problem with more rows than the default curvature
 * sample, and prints a bit-level hash of the model. With the argument {@code auto} it fits first and
 * starts the warm-up after (prints whether that call started a thread, i.e. whether the fit had not).
 */
public final class WarmUpProbe {

    private WarmUpProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        RandomProblem p = RandomProblem.mixture(11L, FgnOptions.AUTO_SAMPLE_ABOVE + 500, 24, 10);
        float[] xf = new float[p.x.length];
        for (int t = 0; t < xf.length; t++) {
            xf[t] = (float) p.x[t];
        }
        LabelledData data = LabelledData.ofFloat(xf, p.y, null, p.b, p.d, p.k);
        FgnOptions options = FgnOptions.builder().standardize(false).maxIterations(6).build();
        boolean auto = args.length > 0 && args[0].equals("auto");
        Thread first = auto ? null : KernelWarmUp.start(p.b, p.d, p.k, true);
        Thread again = auto ? null : KernelWarmUp.start(p.b, p.d, p.k, true);
        if (args.length > 0 && args[0].equals("join") && first != null) {
            first.join(); // the kernels compiled before the fit
        }
        double[] w = new SoftmaxHeadTrainer(options).fit(data).model().weights();
        long h = 0;
        for (double z : w) {
            h = h * 31 + Double.doubleToLongBits(z);
        }
        if (auto) {
            first = KernelWarmUp.start(p.b, p.d, p.k, true);
        }
        System.out.println((first != null) + " " + (again != null) + " " + Long.toHexString(h));
    }
}
