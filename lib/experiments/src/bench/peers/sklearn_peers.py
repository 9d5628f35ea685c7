#!/usr/bin/python3
"""scikit-learn peers of the FastGN bench (run with Debian's /usr/bin/python3 + python3-sklearn).

Vendored from the FastGN peer harness (steering/peers/py/sklearn_peers.py, not part of this
repository). The objective, C, the solver settings and the stop-at-target timing are unchanged;
changes: the traced solvers lbfgs and newton-cg and the saga sweep are kept (the sag sweep and the
one-vs-rest newton-cholesky run are not part of the bench), and each RESULT line carries the
process peak resident memory (peak_mb=, from resource.getrusage ru_maxrss) and the passes over the
training features (passes=: one per product with X, counted in the traced loss methods: loss 1,
loss_gradient and gradient 2, gradient_hessian_product 2 plus 2 per Hessian-vector product). Run one
solver per process when peak_mb should describe that solver alone.

saga (used on the sparse text set) never calls the traced loss methods (its epochs run in Cython), so
it is timed by a sweep: fresh fits with max_iter = 1, 2, 4, 8, ... epochs (tol=1e-14, so each runs
its max_iter epochs), each fit timed alone; its time is that of the first fit whose result reaches
the target (the cap ends the sweep: reported as not reached with the last fit's gap); passes = epochs.

Usage: sklearn_peers.py DATASET [solver ...]     solvers: lbfgs newton-cg saga
Env: PEERS_DATA, PEERS_LAMBDA (1e-4), PEERS_REL_TOL (1e-4), PEERS_CAP_S (600).

C = 1/(n*lambda) so that sklearn's  sum_i CE_i + ||W||^2/(2C)  =  n * f(W,b).
One run per solver; LinearModelLoss.loss/loss_gradient are wrapped to timestamp every objective
evaluation (the value sklearn computes anyway), and the run is stopped at the first evaluation
with f <= f*(1+tol) (or at the cap).
Lines starting with RESULT are machine-readable.
"""
import os, sys, time, warnings
import numpy as np
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import load, load_fstar, objective, accuracy, peak_mb, LAM, REL_TOL
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.linear_model import _linear_loss
from sklearn.exceptions import ConvergenceWarning
warnings.filterwarnings("ignore", category=ConvergenceWarning)

CAP = float(os.environ.get("PEERS_CAP_S", "600"))
if len(sys.argv) < 2:
    sys.exit(__doc__)
name = sys.argv[1]
solvers = sys.argv[2:] or ["lbfgs", "newton-cg"]
for s in solvers:
    if s not in ("lbfgs", "newton-cg", "saga"):
        sys.exit(f"unknown solver {s!r}; use lbfgs, newton-cg and/or saga")
Xtr, ytr, Xte, yte = load(name)
n, d = Xtr.shape
K = int(ytr.max()) + 1
fstar = load_fstar(name); target = fstar * (1 + REL_TOL)
C = 1.0 / (n * LAM)
print(f"sklearn {sklearn.__version__} numpy {np.__version__} data={name} n={n} d={d} K={K} f*={fstar:.10f} C={C:g} "
      f"cap={CAP:g}s OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE')}", flush=True)


def result(peer, setting, secs, iters, passes, W, b, note=""):
    f = objective(W, b, Xtr, ytr)
    acc = accuracy(W, b, Xte, yte)
    print(f"RESULT\tpeer=sklearn-{peer}\tdata={name}\tmode=first\tkernels=numpy\tsetting={setting}\tseconds={secs:.3f}"
          f"\titers={iters}\tpasses={passes:.0f}\tobj={f:.10f}\trelgap={(f - fstar) / fstar:.3e}\ttest_acc={acc:.4f}"
          f"\tpeak_mb={peak_mb():.0f}\tnote={note}", flush=True)


class Stop(Exception):
    pass


def traced(solver):
    L = _linear_loss.LinearModelLoss
    orig = {m: getattr(L, m) for m in ("loss", "loss_gradient", "gradient", "gradient_hessian_product")}
    st = dict(t0=None, nloss=0, ngrad=0, passes=0, coef=None, hit=None, last=None)

    def snap(self, coef, val):
        st["last"] = val / n
        w, b = self.weight_intercept(coef)
        st["coef"] = (np.array(w, copy=True), np.array(b, copy=True))
        t = time.perf_counter() - st["t0"]
        if val / n <= target:
            st["hit"] = t; raise Stop()
        if t > CAP:
            raise Stop()

    def loss(self, coef, *a, **k):
        v = orig["loss"](self, coef, *a, **k); st["nloss"] += 1; st["passes"] += 1; snap(self, coef, v); return v

    def loss_gradient(self, coef, *a, **k):
        v, g = orig["loss_gradient"](self, coef, *a, **k); st["nloss"] += 1; st["ngrad"] += 1; st["passes"] += 2
        snap(self, coef, v); return v, g

    def gradient(self, coef, *a, **k):
        st["ngrad"] += 1; st["passes"] += 2; return orig["gradient"](self, coef, *a, **k)

    def gradient_hessian_product(self, coef, *a, **k):
        g, hessp = orig["gradient_hessian_product"](self, coef, *a, **k); st["ngrad"] += 1; st["passes"] += 2

        def counted(s):
            st["passes"] += 2
            return hessp(s)
        return g, counted

    L.loss, L.loss_gradient, L.gradient = loss, loss_gradient, gradient
    L.gradient_hessian_product = gradient_hessian_product
    try:
        clf = LogisticRegression(C=C, solver=solver, tol=1e-14, max_iter=100000, multi_class="multinomial")
        st["t0"] = time.perf_counter()
        try:
            clf.fit(Xtr, ytr); why = "converged"
        except Stop:
            why = "target" if st["hit"] is not None else "cap"
        secs = time.perf_counter() - st["t0"]
    finally:
        for m, f in orig.items():
            setattr(L, m, f)
    W, b = st["coef"]
    f_ours = objective(W, b, Xtr, ytr)
    result(solver, "tol=1e-14,stop@target", secs, f"{st['nloss']}f/{st['ngrad']}g", st["passes"], W, b,
           f"stop={why}; sklearn f/n={st['last']:.10f} (check vs ours {f_ours:.10f}); multinomial")


def saga_sweep():
    epochs, spent, last = 1, 0.0, None
    while True:
        clf = LogisticRegression(C=C, solver="saga", tol=1e-14, max_iter=epochs, multi_class="multinomial")
        t0 = time.perf_counter()
        clf.fit(Xtr, ytr)
        secs = time.perf_counter() - t0
        spent += secs
        f = objective(clf.coef_, clf.intercept_, Xtr, ytr)
        last = (secs, epochs, clf)
        print(f"saga sweep: {epochs} epoch(s) {secs:.2f}s f={f:.10f} gap={(f - fstar) / fstar:.2e}", flush=True)
        if f <= target or spent + 2 * secs > CAP:
            why = "target" if f <= target else "cap"
            break
        epochs *= 2
    secs, epochs, clf = last
    result("saga", "tol=1e-14,max_iter sweep 1,2,4..", secs, f"{epochs}ep", epochs, clf.coef_, clf.intercept_,
           f"stop={why}; time of the first fit of the sweep that reached the target (fits run alone; sweep total "
           f"{spent:.1f}s); multinomial")


for s in solvers:
    if s == "saga":
        saga_sweep()
    else:
        traced(s)
