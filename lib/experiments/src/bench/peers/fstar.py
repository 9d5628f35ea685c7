#!/usr/bin/python3
"""Reference optimum f* of a bench set by a long float64 scipy L-BFGS-B run; writes <set>_fstar.json.

Usage: fstar.py SET [--cap-s SECONDS] [--start FILE]      (default cap: $FSTAR_CAP_S, else 7200)
Env: PEERS_DATA, PEERS_LAMBDA (1e-4), OPENBLAS_NUM_THREADS.

The objective is common.objective (mean CE + lam/2 ||W||_F^2, bias unregularised) in float64 on the
float32 features widened to float64, from W = 0, b = 0; L-BFGS-B with m = 30, gtol = 1e-12,
ftol = 0 (as the peer harness's documented optima of fmnist and syn). The run ends when scipy
stops or at the cap; f* is the smallest objective evaluated, and the json records the iterations,
the evaluations, the final gradient norm, the objective's decrease over the last 100 evaluations
and the time, so a reader can judge how close it is (the bench's target is f*(1 + 1e-4)).

--start FILE starts L-BFGS-B from a point instead of zero: K*d + K little-endian float64 values, W
row-major then b (any solver's result, e.g. a run cut short by the cap, or another library's optimum).
The objective at the result can only be lower than at the start, so f* is still the smallest value
scipy evaluated; the json names the start file. The run also writes its best point as
<set>_fstar_theta.f64 in that layout, so a capped run can be continued with --start.
"""
import json, os, sys, time
import numpy as np
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import load, fstar_path, LAM


class _Cap(Exception):
    pass


def objective_and_gradient(theta, X, y, k, lam, chunk=8192):
    n, d = X.shape
    W = theta[:k * d].reshape(k, d)
    b = theta[k * d:]
    gW = np.zeros((k, d))
    gb = np.zeros(k)
    tot = 0.0
    for s in range(0, n, chunk):
        Xc = X[s:s + chunk]
        yc = y[s:s + chunk]
        Z = Xc @ W.T + b
        m = Z.max(axis=1, keepdims=True)
        E = np.exp(Z - m)
        S = E.sum(axis=1, keepdims=True)
        tot += float((m[:, 0] + np.log(S[:, 0]) - Z[np.arange(len(yc)), yc]).sum())
        P = E / S
        P[np.arange(len(yc)), yc] -= 1.0
        gW += (Xc.T @ P).T  # X^T P first: also right when X is a scipy sparse matrix
        gb += P.sum(axis=0)
    f = tot / n + 0.5 * lam * float((W * W).sum())
    g = np.concatenate([(gW / n + lam * W).ravel(), gb / n])
    return f, g


def compute_sparse(name):
    """f* of an svmlight (sparse) set: scikit-learn's multinomial newton-cg in float64 from zero, tol 1e-10
    (max |gradient| of sklearn's sum-scaled objective), no time cap. Used instead of L-BFGS-B, whose m = 30
    history would need 60 vectors of K (d + 1) doubles (2.5 GB for the text set). The json records the
    iterations, the gradient norm of common.objective at the result and the time."""
    import warnings
    from sklearn.linear_model import LogisticRegression
    from sklearn.exceptions import ConvergenceWarning
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    X, y, _, _ = load(name)
    n, d = X.shape
    k = int(y.max()) + 1
    t0 = time.time()
    clf = LogisticRegression(C=1.0 / (n * LAM), solver="newton-cg", tol=1e-10, max_iter=1000,
                             multi_class="multinomial").fit(X, y)
    secs = time.time() - t0
    theta = np.concatenate([clf.coef_.ravel(), clf.intercept_])
    f, g = objective_and_gradient(theta, X, y, k, LAM)
    out = {"fstar": f, "source": "fstar.py: scikit-learn newton-cg (multinomial) float64 from zero, tol=1e-10, "
                                 "max_iter=1000; f and |g| of common.objective at its result",
           "iterations": int(clf.n_iter_[0]), "gradient_norm": float(np.linalg.norm(g)),
           "seconds": round(secs, 1), "lambda": LAM}
    with open(fstar_path(name), "w") as fo:
        json.dump(out, fo, indent=1)
    print(f"{name}: wrote {fstar_path(name)}: {out}", flush=True)
    return out


def compute(name, cap=None, start=None):
    from scipy.optimize import minimize
    from common import svmlight_files
    if svmlight_files(name):
        return compute_sparse(name)
    cap = float(cap if cap is not None else os.environ.get("FSTAR_CAP_S", "7200"))
    X, y, _, _ = load(name)
    n, d = X.shape
    k = int(y.max()) + 1
    st = dict(best=np.inf, evals=0, trace=[], gnorm=np.nan, theta=None)
    theta0 = np.zeros(k * d + k)
    if start is not None:
        theta0 = np.fromfile(start, dtype="<f8")
        if theta0.size != k * d + k:
            sys.exit(f"{start}: {theta0.size} float64 values, expected K*d + K = {k * d + k} (K={k}, d={d})")
    t0 = time.time()

    def fun(theta):
        f, g = objective_and_gradient(theta, X, y, k, LAM)
        st["evals"] += 1
        st["trace"].append(f)
        if f < st["best"]:
            st["best"], st["gnorm"], st["theta"] = f, float(np.linalg.norm(g)), theta.copy()
        if st["evals"] % 10 == 0:
            print(f"{name} f*: eval {st['evals']} f={st['best']:.12f} |g|={st['gnorm']:.3e} "
                  f"{time.time() - t0:.0f}s", flush=True)
        if time.time() - t0 > cap:
            raise _Cap()
        return f, g

    why = "scipy stopped"
    nit = None
    try:
        r = minimize(fun, theta0, jac=True, method="L-BFGS-B",
                     options=dict(maxcor=30, gtol=1e-12, ftol=0.0, maxiter=10 ** 6, maxfun=10 ** 7))
        why = f"scipy: {r.message}"
        nit = int(r.nit)
    except _Cap:
        why = f"stopped by the {cap:.0f} s cap"
    secs = time.time() - t0
    st["theta"].astype("<f8").tofile(fstar_path(name).replace("_fstar.json", "_fstar_theta.f64"))
    before = min(st["trace"][:-100]) if len(st["trace"]) > 100 else None
    out = {"fstar": st["best"],
           "source": f"fstar.py: scipy L-BFGS-B float64 from {'zero' if start is None else os.path.basename(start)},"
                     f" m=30, gtol=1e-12, ftol=0; {why}",
           "evaluations": st["evals"], "iterations": nit, "gradient_norm": st["gnorm"],
           "relative_decrease_last_100_evaluations": (before - st["best"]) / st["best"] if before else None,
           "seconds": round(secs, 1), "lambda": LAM}
    with open(fstar_path(name), "w") as f:
        json.dump(out, f, indent=1)
    print(f"{name}: wrote {fstar_path(name)}: {out}", flush=True)
    return out


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    cap_arg = None
    if "--cap-s" in sys.argv:
        cap_arg = float(sys.argv[sys.argv.index("--cap-s") + 1])
    start_arg = None
    if "--start" in sys.argv:
        start_arg = sys.argv[sys.argv.index("--start") + 1]
    compute(sys.argv[1], cap_arg, start_arg)
