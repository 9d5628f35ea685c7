package io.github.fastgn.baseline;

import io.github.fastgn.data.LabelledData;
import io.github.fastgn.internal.head.BatchStream;
import io.github.fastgn.internal.head.ChunkedObjective;
import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.internal.linalg.Parallel;
import io.github.fastgn.internal.linalg.ShermanMorrison;
import io.github.fastgn.internal.optim.TrainingRun;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.ObservedOptimizer;
import io.github.fastgn.optim.StopReason;
import io.github.fastgn.optim.TrainingResult;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The hybrid stochastic Newton algorithm of Bercu, Fredes and Gbaguidi (ALGORITHM.md §6), and with
 * {@code hybridWeight = 0} the natural-Hessian stochastic Newton algorithm it improves on. It
 * streams the examples one at a time (each iteration is one shuffled batch of {@code batchSize}
 * examples, processed in order) and keeps the inverse of
 * {@code S_n = I + sum_{m <= n} [(1 - beta) natural_m + beta gradientOuter_m]}, updated by
 * Sherman-Morrison before each step {@code theta <- theta - S_n^-1 grad_n}; {@code S_n / (n + 1)}
 * estimates the Hessian, and both parts have the Hessian as their mean at the true parameter.
 *
 * <p>Two classes: exactly the paper's recursion for {@code theta = w_1 - w_0} (features with the
 * bias column): {@code a = pi (1 - pi)}, {@code b = (pi - y)^2}, one rank-one update with
 * {@code c = (1 - beta) a + beta b}; the result is returned as the rows {@code (-theta/2, theta/2)}.
 * More classes (the multinomial extension): {@code theta} is the whole {@code K x (d+1)} head, the
 * natural estimate {@code (diag pi - pi pi^T) (x) x~ x~^T = sum_j pi_j u_j u_j^T} with
 * {@code u_j = (e_j - pi) (x) x~} is applied as {@code K} rank-one updates and the gradient's outer
 * product {@code r r^T}, {@code r = (pi - e_y) (x) x~}, as one more; a step costs
 * {@code O((K + 1) q^2)} with {@code q = K (d + 1)}, so this is for small heads. The L2 term enters
 * the gradient, not the curvature estimate; example weights scale both.
 *
 * <p>Records (one per batch): the batch's objective and gradient norm after its examples,
 * {@code alpha} NaN. A non-finite or exploding objective stops the run with
 * {@link StopReason#DIVERGED} and returns the last finite iterate.
 */
public final class StochasticNewton extends ObservedOptimizer<StochasticNewton> {

    /** Receives the inverse Hessian estimate {@code S_n^-1} after each batch. */
    @FunctionalInterface
    public interface InverseListener {
        /**
         * @param examples  {@code n}, the examples processed so far
         * @param inverse   {@code S_n^-1}, row-major {@code q x q} (shared: copy it to keep it, never modify)
         * @param dimension {@code q}: {@code d + 1} for two classes, {@code K (d + 1)} otherwise
         */
        void inverseEstimate(long examples, double[] inverse, int dimension);
    }

    private static final Logger LOG = Logger.getLogger(StochasticNewton.class.getName());

    private final FirstOrderOptions options;
    private final List<InverseListener> inverseListeners = new ArrayList<>();

    /**
     * @throws IllegalArgumentException if {@code options} is null or in full-batch mode (this
     *                                  method streams examples)
     */
    public StochasticNewton(FirstOrderOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("options must not be null; use FirstOrderOptions.builder()"
                    + ".mode(FgnOptions.Mode.MINIBATCH).build()");
        }
        if (options.mode() != FgnOptions.Mode.MINIBATCH) {
            throw new IllegalArgumentException("the stochastic Newton methods stream the examples; set"
                    + " FirstOrderOptions.builder().mode(FgnOptions.Mode.MINIBATCH) (batchSize is the examples per"
                    + " recorded iteration)");
        }
        this.options = options;
    }

    /** Adds a listener for the inverse Hessian estimate; returns this. */
    public StochasticNewton addInverseListener(InverseListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null");
        }
        inverseListeners.add(listener);
        return this;
    }

    @Override
    public String name() {
        return options.hybridWeight() == 0 ? "stochastic Newton (natural)"
                : "hybrid stochastic Newton (weight " + options.hybridWeight() + ")";
    }

    /** Dense rows in the heap only: the method's per-example updates read feature rows as arrays. */
    @Override
    protected boolean takes(LabelledData.Storage storage) {
        return storage == LabelledData.Storage.DENSE;
    }

    @Override
    protected TrainingResult run(LabelledData data, double[] start) {
        return withPool(options.threads(), parallel -> new Run(parallel, data).run(start));
    }

    private final class Run {
        final Parallel parallel;
        final LabelledData data;
        final int d;
        final int k;
        final int cols;
        final int p;
        final boolean binary;
        final int q;
        final double gamma;
        final double beta;
        final double[] inverse;
        final double[] theta;
        final double[] u;
        final double[] grad;
        final double[] direction;
        final double[] work;
        final double[] pi;
        final double[] logits;
        long examples;

        Run(Parallel parallel, LabelledData data) {
            this.parallel = parallel;
            this.data = data;
            this.d = data.featureCount();
            this.k = data.classCount();
            this.cols = d + 1;
            this.p = k * cols;
            this.binary = k == 2;
            this.q = binary ? cols : p;
            this.gamma = options.l2();
            this.beta = options.hybridWeight();
            this.inverse = ShermanMorrison.identity(q);
            this.theta = new double[q];
            this.u = new double[q];
            this.grad = new double[q];
            this.direction = new double[q];
            this.work = new double[q];
            this.pi = new double[k];
            this.logits = new double[k];
        }

        TrainingResult run(double[] start) {
            int n = data.size();
            double[] x = data.features();
            TrainingRun run = newRun(name(), FirstOrderOptimizer.stopRules(options), LOG);
            ChunkedObjective all = new ChunkedObjective(x, data.labels(), data.weights(), n, d, k, gamma, parallel);
            BatchStream stream = new BatchStream(x, data.labels(), data.weights(), n, d, options.batchSize(),
                    options.seed());
            HeadBatch batch = new HeadBatch(stream.capacity(), d, k, 1e-300, parallel);
            double[] wt = start == null ? new double[p] : start;
            if (binary) {
                for (int j = 0; j < cols; j++) {
                    theta[j] = wt[cols + j] - wt[j];
                }
                toHead(wt);
            } else {
                System.arraycopy(wt, 0, theta, 0, p);
            }
            double[] lastFinite = wt.clone();
            double[] h = new double[p];
            double[] fullGradient = new double[p];
            double f0 = all.evaluate(wt, fullGradient);
            TrainingRun.requireFiniteStart(f0);
            double g0 = TrainingRun.norm(fullGradient);
            double g = g0;
            run.started(options.maxIterations(), () -> "training a softmax head with " + name() + ": n=" + n
                    + ", d=" + d + ", K=" + k);
            StopReason reason;
            int it = 0;
            while ((reason = run.stopBefore(g, g0, it)) == null) {
                int epoch = stream.epochs();
                if (!stream.next(batch)) {
                    continue; // a batch of zero-weight examples has no objective
                }
                it++;
                double[] bx = batch.featureRows();
                int[] by = batch.labels();
                double[] bw = batch.exampleWeights();
                int rows = batch.rows();
                boolean broken = false;
                for (int i = 0; i < rows && !broken; i++) {
                    double weight = bw[i] * rows;
                    try {
                        if (binary) {
                            binaryStep(bx, i * d, by[i], weight);
                        } else {
                            multinomialStep(bx, i * d, by[i], weight);
                        }
                    } catch (ArithmeticException e) {
                        broken = true;
                    }
                    examples++;
                }
                if (binary) {
                    toHead(wt);
                } else {
                    System.arraycopy(theta, 0, wt, 0, p);
                }
                batch.evaluate(wt);
                double f = batch.objective(wt, gamma);
                batch.gradient(wt, gamma, h);
                g = TrainingRun.norm(h);
                run.record(it, epoch, f, g, Double.NaN, Double.NaN, 0, Double.NaN, false, true);
                if (broken || !Double.isFinite(f) || f > options.divergenceFactor() * f0 || !TrainingRun.allFinite(wt)) {
                    reason = StopReason.DIVERGED;
                    System.arraycopy(lastFinite, 0, wt, 0, p);
                    break;
                }
                System.arraycopy(wt, 0, lastFinite, 0, p);
                for (InverseListener l : inverseListeners) {
                    l.inverseEstimate(examples, inverse, q);
                }
                if (stream.epochCompleted()) {
                    double fe = all.evaluate(wt, fullGradient);
                    run.epochFinished(stream.epochs(), fe, TrainingRun.norm(fullGradient));
                }
            }
            double fFinal = all.evaluate(wt, fullGradient);
            return run.finish(wt, fFinal, TrainingRun.norm(fullGradient), it, stream.epochs(),
                    (batch.rowsRead() + all.rowsRead()) / (double) n, reason);
        }

        /** The paper's recursion for {@code theta = w_1 - w_0}, {@code Phi = (x, 1)}. */
        void binaryStep(double[] bx, int offset, int label, double weight) {
            double s = theta[d];
            for (int j = 0; j < d; j++) {
                u[j] = bx[offset + j];
                s += theta[j] * u[j];
            }
            u[d] = 1;
            double prob = HeadBatch.sigmoid(s);
            double yv = label == 1 ? 1 : 0;
            double a = prob * (1 - prob);
            double b = (prob - yv) * (prob - yv);
            ShermanMorrison.update(inverse, q, u, weight * ((1 - beta) * a + beta * b), work);
            for (int j = 0; j < q; j++) {
                grad[j] = weight * (prob - yv) * u[j] + (j < d ? 0.5 * gamma * theta[j] : 0);
            }
            newtonStep();
        }

        /** The multinomial extension: {@code K} natural rank-one updates and one gradient outer product. */
        void multinomialStep(double[] bx, int offset, int label, double weight) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double s = theta[c * cols + d];
                for (int j = 0; j < d; j++) {
                    s += theta[c * cols + j] * bx[offset + j];
                }
                logits[c] = s;
                max = Math.max(max, s);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                pi[c] = Math.exp(logits[c] - max);
                sum += pi[c];
            }
            for (int c = 0; c < k; c++) {
                pi[c] /= sum;
            }
            if (beta < 1) {
                for (int jc = 0; jc < k; jc++) {
                    outer(bx, offset, jc, -1);
                    ShermanMorrison.update(inverse, q, u, weight * (1 - beta) * pi[jc], work);
                }
            }
            outer(bx, offset, label, 1);
            ShermanMorrison.update(inverse, q, u, weight * beta, work);
            // u now holds r = (pi - e_y) (x) x~: the data gradient
            for (int t = 0; t < q; t++) {
                grad[t] = weight * u[t] + ((t % cols) < d ? gamma * theta[t] : 0);
            }
            newtonStep();
        }

        /**
         * {@code u = sign (pi - e_j) (x) x~}: with sign -1 the natural factor {@code e_j - pi}, with +1
         * the residual {@code pi - e_y}.
         */
        private void outer(double[] bx, int offset, int j, double sign) {
            for (int c = 0; c < k; c++) {
                double coef = sign * (pi[c] - (c == j ? 1 : 0));
                int o = c * cols;
                for (int t = 0; t < d; t++) {
                    u[o + t] = coef * bx[offset + t];
                }
                u[o + d] = coef;
            }
        }

        void newtonStep() {
            ShermanMorrison.multiply(inverse, q, grad, direction);
            for (int t = 0; t < q; t++) {
                theta[t] -= direction[t];
            }
        }

        /** The two-class parameter as the head {@code (-theta/2, theta/2)}. */
        void toHead(double[] wt) {
            for (int j = 0; j < cols; j++) {
                wt[j] = -0.5 * theta[j];
                wt[cols + j] = 0.5 * theta[j];
            }
        }
    }
}
