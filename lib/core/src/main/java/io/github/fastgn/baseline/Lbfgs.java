package io.github.fastgn.baseline;

import io.github.fastgn.internal.head.BatchStream;
import io.github.fastgn.internal.head.ChunkedObjective;
import io.github.fastgn.internal.head.DataRows;
import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.internal.linalg.Parallel;
import io.github.fastgn.internal.solver.Damping;
import io.github.fastgn.internal.solver.NewtonDecrement;
import io.github.fastgn.internal.solver.Solvers;
import io.github.fastgn.internal.solver.StepSolver;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.ObservedOptimizer;
import io.github.fastgn.optim.StopReason;
import io.github.fastgn.optim.TrainingResult;
import io.github.fastgn.internal.optim.CertificateBackoff;
import io.github.fastgn.internal.optim.TrainingRun;

import java.util.logging.Logger;

/**
 * L-BFGS (Nocedal and Wright, <i>Numerical Optimization</i>, 2nd ed., algorithm 7.4, two-loop
 * recursion with {@code H_0 = (s^T y / y^T y) I}) with a strong-Wolfe line search
 * (algorithms 3.5 and 3.6, {@code c1 = 1e-4}, {@code c2 = 0.9}, safeguarded quadratic interpolation in the zoom).
 *
 * <p>The line search uses that the logits of a linear head are affine in the step length: after
 * one product {@code dZ = X~ S^T}, every trial {@code phi(alpha)} and {@code phi'(alpha)} costs
 * {@code O(BK)}. With the guard on, trial steps never exceed the Ghosts-of-Softmax radius
 * {@code c pi / max spread(dZ)}. In mini-batch mode each iteration uses a fresh batch, and the
 * correction pair is formed from gradients on that same batch. A pair with
 * {@code s^T y <= 1e-10 ||s|| ||y||} is skipped to keep the inverse-Hessian model positive definite.
 * Records: {@code alpha} the accepted step length, {@code cgIterations} the line-search
 * evaluations. In full-batch mode a run stops once the objective reaches
 * {@link FirstOrderOptions#targetObjective()}, and has converged ({@link StopReason#CONVERGED})
 * once {@code h^T H h / 2}, half the decrement of its inverse-Hessian model (read off the
 * direction {@code -H h} it computes anyway, once {@code H} holds a curvature pair), is at most
 * {@code tolerance |f|} and the exact Newton decrement confirms it (one solve with the exact
 * Hessian, {@code Run.gapEstimate}): the estimate of {@code f - f*} FGN uses
 * ({@link FgnOptions#tolerance()}). Mini-batch runs have no such estimate and run their budget.
 */
public final class Lbfgs extends ObservedOptimizer<Lbfgs> {

    private static final Logger LOG = Logger.getLogger(Lbfgs.class.getName());
    /** Full batch stops after one accepted step that decreases by at most this relative amount. */
    private static final double STALL_DECREASE = 1e-15;
    private static final double C1 = 1e-4;
    private static final double C2 = 0.9;
    private static final int MAX_EVALUATIONS = 30;
    /** The damping of the certificate solve: FgnOptions' default least damping. */
    private static final double MIN_DAMPING = (Double) FgnOptions.MIN_DAMPING.defaultValue();
    /** The CG cap of the certificate solve: FgnOptions' default. */
    private static final int NEWTON_CG_ITERATIONS = (Integer) FgnOptions.MAX_CG_ITERATIONS.defaultValue();

    private final FirstOrderOptions options;

    /** @throws IllegalArgumentException if {@code options} is null */
    public Lbfgs(FirstOrderOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("options must not be null");
        }
        this.options = options;
    }

    /** A full-batch L-BFGS line search checks every step on all rows, so "auto" leaves it unguarded. */
    private boolean guarded() {
        return options.guardApplies(options.mode() == FgnOptions.Mode.FULL);
    }

    @Override
    public String name() {
        return "L-BFGS" + (guarded() ? " + guard" : "");
    }

    @Override
    protected TrainingResult run(LabelledData data, double[] start) {
        return withPool(options.threads(), parallel -> new Run(parallel, data).run(start));
    }

    private final class Run {
        final Parallel parallel;
        /** The rows in every storage (sparse and mapped rows are never densified or copied whole). */
        final DataRows rows;
        final long storedValues;
        final int[] y;
        final double[] weights;
        final int n;
        final int d;
        final int k;
        final int p;
        final double gamma;
        final int m;
        final double[][] sHist;
        final double[][] yHist;
        final double[] rhoHist;
        final double[] alphaTmp;
        int stored;
        int newest = -1;
        // line-search state
        HeadBatch batch;
        double[] wt;
        double[] dz;
        double[] step;
        double ww;
        double ws;
        double ss;
        final double[] phiOut = new double[2];
        int evaluations;
        // the convergence certificate (made on first use)
        StepSolver newton;
        Damping damping;
        double[] certificate;
        final CertificateBackoff certificates = new CertificateBackoff();

        Run(Parallel parallel, LabelledData data) {
            this.parallel = parallel;
            this.rows = new DataRows(data);
            this.storedValues = data.featureMatrix().storedValues();
            this.y = data.labels();
            this.weights = data.weights();
            this.n = data.size();
            this.d = data.featureCount();
            this.k = data.classCount();
            this.p = k * (d + 1);
            this.gamma = options.l2();
            this.m = options.memory();
            this.sHist = new double[m][p];
            this.yHist = new double[m][p];
            this.rhoHist = new double[m];
            this.alphaTmp = new double[m];
        }

        TrainingResult run(double[] start) {
            boolean full = options.mode() == FgnOptions.Mode.FULL;
            TrainingRun run = newRun(name(), full
                    ? FirstOrderOptimizer.stopRules(options).withStall(STALL_DECREASE, 1.0, 1)
                    : FirstOrderOptimizer.stopRules(options), LOG);
            ChunkedObjective all = rows.objective(gamma, parallel);
            BatchStream stream = full ? null : rows.stream(options.batchSize(), options.seed());
            batch = new HeadBatch(full ? n : stream.capacity(), d, k, 1e-300, parallel);
            if (full) {
                rows.pointAtAll(batch);
            }
            wt = start == null ? new double[p] : start.clone();
            double[] h = new double[p];
            double[] hNew = new double[p];
            step = new double[p];
            dz = new double[(full ? n : stream.capacity()) * k];
            double[] fullGradient = new double[p];
            TrainingRun.requireFiniteStart(all.evaluate(wt, fullGradient));
            double g0 = FirstOrderOptimizer.norm(fullGradient);
            double g = g0;
            double gStop = g0; // the full gradient's norm: after every step in full batch, at epoch ends otherwise
            double f = 0;
            run.started(options.maxIterations(), () -> "training a softmax head with " + name() + ": n=" + n
                    + ", d=" + d + ", K=" + k);
            StopReason reason;
            int it = 0;
            while ((reason = run.stopBefore(gStop, g0, it)) == null) {
                int epoch = full ? it : stream.epochs();
                if (!full && !stream.next(batch)) {
                    continue; // a batch of zero-weight examples has no objective
                }
                if (!full || it == 0) {
                    batch.evaluate(wt);
                    f = batch.objective(wt, gamma);
                    batch.gradient(wt, gamma, h);
                    g = FirstOrderOptimizer.norm(h);
                }
                it++;
                direction(h, step);
                double slope = dot(h, step);
                if (!(slope < 0)) {
                    stored = 0; // lost positive definiteness: restart from steepest descent
                    for (int t = 0; t < p; t++) {
                        step[t] = -h[t];
                    }
                    slope = dot(h, step);
                }
                double gap = full && stored > 0 ? gapEstimate(h, -0.5 * slope, f) : Double.NaN;
                batch.logitDirection(step, dz);
                double spread = batch.maxSpread(dz);
                double alphaMax = guarded() && spread > 0 ? options.guardScale() * Math.PI / spread
                        : Double.POSITIVE_INFINITY;
                double alpha1 = stored == 0 && it == 1 ? Math.min(1.0, 1.0 / Math.max(g, 1e-300)) : 1.0;
                ww = weightDot(wt, wt);
                ws = weightDot(wt, step);
                ss = weightDot(step, step);
                evaluations = 0;
                double alpha = strongWolfe(f, slope, Math.min(alpha1, alphaMax), alphaMax);
                boolean bound = alpha >= alphaMax;
                if (!(alpha > 0)) {
                    run.record(it, epoch, f, g, Double.NaN, 0, evaluations, spread > 0 ? 0 : Double.NaN, bound,
                            false);
                    if ((reason = run.convergedAt(gap, f)) != null) {
                        break;
                    }
                    if (stored == 0) {
                        reason = StopReason.STALLED;
                        break;
                    }
                    stored = 0;
                    continue;
                }
                for (int t = 0; t < p; t++) {
                    wt[t] += alpha * step[t];
                }
                batch.moveLogits(dz, alpha);
                double fNew = batch.objective(wt, gamma);
                batch.gradient(wt, gamma, hNew);
                remember(alpha, h, hNew);
                double[] tmp = h;
                h = hNew;
                hNew = tmp;
                double before = f;
                f = fNew;
                g = FirstOrderOptimizer.norm(h);
                if (full) {
                    gStop = g;
                }
                run.record(it, epoch, f, g, Double.NaN, alpha, evaluations,
                        spread > 0 ? alpha * spread / Math.PI : Double.NaN, bound, true);
                if ((reason = run.convergedAt(gap, before)) != null
                        || (reason = run.afterAccepted(before, f)) != null) {
                    break;
                }
                if (!full && stream.epochCompleted()) {
                    double fe = all.evaluate(wt, fullGradient);
                    gStop = FirstOrderOptimizer.norm(fullGradient);
                    run.epochFinished(stream.epochs(), fe, gStop);
                }
            }
            double fFinal = all.evaluate(wt, fullGradient);
            return run.finish(wt, fFinal, FirstOrderOptimizer.norm(fullGradient), it,
                    full ? it : stream.epochs(), (batch.rowsRead() + all.rowsRead()) / (double) n, reason);
        }

        /**
         * The estimate of {@code f - f*} for the convergence test (full batch, once the
         * inverse-Hessian model {@code H} holds a curvature pair). Half the decrement of that model,
         * {@code h^T H h / 2}, costs nothing but can be far off: on raw breast-cancer features
         * (l2 1e-2) it fell below {@code 1e-6 |f|} 18% above the optimum. So it only triggers: once
         * it is below the tolerance, the exact Newton decrement ({@link NewtonDecrement}, one
         * solve with the exact Hessian, by a direct full-GGN solver when one fits) is returned instead;
         * in a slow tail the certificates back off ({@link CertificateBackoff}).
         */
        double gapEstimate(double[] h, double model, double f) {
            double bound = options.tolerance() * Math.max(Math.abs(f), Double.MIN_NORMAL);
            if (!(model <= bound)) {
                return Double.NaN;
            }
            double waiting = certificates.waitEstimate(model, bound);
            if (!Double.isNaN(waiting)) {
                return waiting;
            }
            if (newton == null) {
                // a matrix batch (sparse, mapped or float rows) is read through its products only
                Solvers.Rows storage = rows.matrixBatch() ? Solvers.Rows.sparse(storedValues, n)
                        : Solvers.Rows.dense(d);
                newton = Solvers.certificateFor(Solvers.create(Solvers.NEWTON, n, d, k, false, NEWTON_CG_ITERATIONS,
                        storage), n, d, k, false, storage);
                damping = new Damping(d, k);
                certificate = new double[p];
            }
            damping.set(MIN_DAMPING, gamma, null);
            double gap = NewtonDecrement.half(newton, batch, damping, h, certificate);
            certificates.certified(gap, model, bound);
            return gap;
        }

        /** Two-loop recursion: {@code out = -H g}. */
        void direction(double[] g, double[] out) {
            System.arraycopy(g, 0, out, 0, p);
            for (int c = 0; c < stored; c++) {
                int idx = Math.floorMod(newest - c, m);
                alphaTmp[idx] = rhoHist[idx] * dot(sHist[idx], out);
                axpy(-alphaTmp[idx], yHist[idx], out);
            }
            if (stored > 0) {
                double gammaScale = 1.0 / (rhoHist[newest] * dot(yHist[newest], yHist[newest]));
                for (int t = 0; t < p; t++) {
                    out[t] *= gammaScale;
                }
            }
            for (int c = stored - 1; c >= 0; c--) {
                int idx = Math.floorMod(newest - c, m);
                double beta = rhoHist[idx] * dot(yHist[idx], out);
                axpy(alphaTmp[idx] - beta, sHist[idx], out);
            }
            for (int t = 0; t < p; t++) {
                out[t] = -out[t];
            }
        }

        void remember(double alpha, double[] hOld, double[] hNew) {
            int idx = (newest + 1) % m;
            double sy = 0;
            double yy = 0;
            double sn = 0;
            for (int t = 0; t < p; t++) {
                double sv = alpha * step[t];
                double yv = hNew[t] - hOld[t];
                sHist[idx][t] = sv;
                yHist[idx][t] = yv;
                sy += sv * yv;
                yy += yv * yv;
                sn += sv * sv;
            }
            if (sy > 1e-10 * Math.sqrt(sn * yy)) {
                rhoHist[idx] = 1.0 / sy;
                newest = idx;
                stored = Math.min(stored + 1, m);
            }
        }

        /** phi and phi' at alpha into phiOut. */
        void phi(double alpha) {
            evaluations++;
            batch.dataLossAndSlopeAlong(dz, alpha, phiOut);
            phiOut[0] += 0.5 * gamma * (ww + 2 * alpha * ws + alpha * alpha * ss);
            phiOut[1] += gamma * (ws + alpha * ss);
        }

        /** Returns a step satisfying the strong Wolfe conditions, or 0 if none was found. */
        double strongWolfe(double phi0, double dphi0, double alpha, double alphaMax) {
            double prev = 0;
            double phiPrev = phi0;
            double dphiPrev = dphi0;
            double bestArmijo = 0;
            for (int i = 1; evaluations < MAX_EVALUATIONS; i++) {
                phi(alpha);
                double ph = phiOut[0];
                double dph = phiOut[1];
                boolean finite = Double.isFinite(ph) && Double.isFinite(dph);
                if (!finite || ph > phi0 + C1 * alpha * dphi0 || (i > 1 && ph >= phiPrev)) {
                    return zoom(phi0, dphi0, prev, phiPrev, dphiPrev, alpha, finite ? ph : Double.POSITIVE_INFINITY,
                            bestArmijo);
                }
                bestArmijo = alpha;
                if (Math.abs(dph) <= -C2 * dphi0) {
                    return alpha;
                }
                if (dph >= 0) {
                    return zoom(phi0, dphi0, alpha, ph, dph, prev, phiPrev, bestArmijo);
                }
                if (alpha >= alphaMax) {
                    return alpha; // the guard's radius: Armijo holds, curvature condition waived
                }
                prev = alpha;
                phiPrev = ph;
                dphiPrev = dph;
                alpha = Math.min(2 * alpha, alphaMax);
            }
            return bestArmijo;
        }

        double zoom(double phi0, double dphi0, double lo, double phiLo, double dphiLo, double hi, double phiHi,
                    double fallback) {
            while (evaluations < MAX_EVALUATIONS) {
                double a = interpolate(lo, phiLo, dphiLo, hi, phiHi);
                phi(a);
                double ph = phiOut[0];
                double dph = phiOut[1];
                if (!Double.isFinite(ph) || ph > phi0 + C1 * a * dphi0 || ph >= phiLo) {
                    hi = a;
                    phiHi = Double.isFinite(ph) ? ph : Double.POSITIVE_INFINITY;
                } else {
                    if (Math.abs(dph) <= -C2 * dphi0) {
                        return a;
                    }
                    if (dph * (hi - lo) >= 0) {
                        hi = lo;
                        phiHi = phiLo;
                    }
                    lo = a;
                    phiLo = ph;
                    dphiLo = dph;
                    fallback = a;
                }
                if (Math.abs(hi - lo) <= 1e-16 * Math.max(1, Math.abs(lo))) {
                    break;
                }
            }
            return fallback;
        }

        /**
         * Minimiser of the quadratic through {@code (lo, phiLo, dphiLo)} and {@code (hi, phiHi)},
         * kept within the middle 80% of the bracket (bisection when the quadratic is useless).
         */
        double interpolate(double lo, double phiLo, double dphiLo, double hi, double phiHi) {
            double width = hi - lo;
            double a;
            double denom = 2 * (phiHi - phiLo - dphiLo * width);
            if (Double.isFinite(phiHi) && denom > 0) {
                a = lo - dphiLo * width * width / denom;
            } else {
                a = lo + 0.5 * width;
            }
            double min = Math.min(lo, hi) + 0.1 * Math.abs(width);
            double max = Math.max(lo, hi) - 0.1 * Math.abs(width);
            return Math.max(min, Math.min(max, a));
        }

        double dot(double[] a, double[] b) {
            double s = 0;
            for (int t = 0; t < p; t++) {
                s += a[t] * b[t];
            }
            return s;
        }

        /** Dot product over the weight entries only (bias excluded), for the L2 term. */
        double weightDot(double[] a, double[] b) {
            return HeadBatch.weightNormSquared(a, b, d, k);
        }

        void axpy(double a, double[] xv, double[] out) {
            for (int t = 0; t < p; t++) {
                out[t] += a * xv[t];
            }
        }
    }
}
