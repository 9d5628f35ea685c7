"""Reference optima of FastGN's objective on scikit-learn's wine, breast-cancer and iris data.

Writes the `optima.csv` test resource that `SklearnOptimaTest` (lib/core) reads: for each of the
12 problems (3 data sets x raw / standardised features x l2 in {1e-4, 1e-2}) the minimum of exactly
FastGN's objective (`SoftmaxObjective`):

    f(W, b) = mean_i CE(softmax(W x_i + b), y_i) + (l2 / 2) ||W||_F^2      (b not penalised)

minimised in float64 by scipy's trust-ncg (exact Hessian-vector products) from zero, polished by
L-BFGS-B (gradient norm ~1e-12), then polished by exact Newton steps on the dense Hessian while
they decrease f; the gradient norm and half the Newton decrement g^T H^-1 g / 2 (the estimate of
f - f*, far below 1e-6 |f*|) are written beside each optimum. "Standardised" is column-wise (x - mean) / std with the population std
(ddof = 0), as FastGN's `Standardizer` does without example weights.

Run from the repository root (python3 with numpy and scipy):
    python3 lib/core/src/test/python/sklearn_optima.py
The three CSVs are the copies committed beside `optima.csv` (scikit-learn's bundled files).
"""
import os
import sys

import numpy as np
from scipy.optimize import minimize

HERE = os.path.dirname(os.path.abspath(__file__))
RESOURCES = os.path.join(HERE, "..", "resources", "io", "github", "fastgn", "optim", "sklearn")
SETS = ("wine_data", "breast_cancer", "iris")
L2S = (1e-4, 1e-2)


def load(name):
    """scikit-learn's format: a header 'n,d,class names...', then n rows of d features and a label."""
    with open(os.path.join(RESOURCES, name + ".csv")) as f:
        n, d = (int(v) for v in f.readline().split(",")[:2])
        rows = np.loadtxt(f, delimiter=",", ndmin=2)
    assert rows.shape == (n, d + 1), (name, rows.shape)
    return rows[:, :d].astype(np.float64), rows[:, d].astype(np.int64)


def standardise(x):
    sd = x.std(axis=0)
    return (x - x.mean(axis=0)) / np.where(sd > 0, sd, 1.0)


class Objective:
    """FastGN's objective over theta = row-major [W | b] (K x (d+1)), as the Java side lays it out."""

    def __init__(self, x, y, l2):
        self.x, self.y, self.l2 = x, y, l2
        self.n, self.d = x.shape
        self.k = int(y.max()) + 1
        self.onehot = np.eye(self.k)[y]
        self.xt = np.hstack([x, np.ones((self.n, 1))])

    def split(self, theta):
        return theta.reshape(self.k, self.d + 1)

    def probabilities(self, theta):
        z = self.xt @ self.split(theta).T
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True), z

    def value_grad(self, theta):
        p, z = self.probabilities(theta)
        lse = np.log(np.exp(z).sum(axis=1))
        ce = lse - z[np.arange(self.n), self.y]
        w = self.split(theta)[:, :self.d]
        f = ce.mean() + 0.5 * self.l2 * np.sum(w * w)
        g = (p - self.onehot).T @ self.xt / self.n
        g[:, :self.d] += self.l2 * w
        return f, g.ravel()

    def hessp(self, theta, v):
        p, _ = self.probabilities(theta)
        vm = self.split(v)
        dz = self.xt @ vm.T
        jv = p * dz - p * (p * dz).sum(axis=1, keepdims=True)
        hv = jv.T @ self.xt / self.n
        hv[:, :self.d] += self.l2 * vm[:, :self.d]
        return hv.ravel()


def solve(obj):
    p = obj.k * (obj.d + 1)
    fun = lambda t: obj.value_grad(t)[0]
    jac = lambda t: obj.value_grad(t)[1]
    tr = minimize(fun, np.zeros(p), jac=jac, hessp=obj.hessp, method="trust-ncg",
                  options={"gtol": 1e-12, "maxiter": 10000})
    lb = minimize(obj.value_grad, tr.x, jac=True, method="L-BFGS-B",
                  options={"gtol": 1e-13, "ftol": 0, "maxiter": 100000, "maxcor": 30})
    theta = min((tr.x, lb.x), key=fun)
    # polish with exact Newton steps on the dense Hessian (at most 62 parameters here) and certify
    # the result by its Newton decrement g^T H^+ g / 2, the estimate of f - f* near the optimum (a
    # pseudo-inverse: a shift of every class's bias by the same amount leaves f unchanged, so H is
    # singular along that direction, to which the gradient is orthogonal)
    for _ in range(50):
        f, g = obj.value_grad(theta)
        h = np.column_stack([obj.hessp(theta, e) for e in np.eye(p)])
        step = -np.linalg.pinv(0.5 * (h + h.T), rcond=1e-14, hermitian=True) @ g
        if not fun(theta + step) < f:
            break
        theta = theta + step
    f, g = obj.value_grad(theta)
    h = np.column_stack([obj.hessp(theta, e) for e in np.eye(p)])
    decrement = 0.5 * g @ np.linalg.pinv(0.5 * (h + h.T), rcond=1e-14, hermitian=True) @ g
    return float(f), float(np.linalg.norm(g)), float(decrement)


def main():
    lines = ["data,features,l2,fstar,gradient_norm,half_newton_decrement"]
    for name in SETS:
        x, y = load(name)
        for features, xs in (("raw", x), ("standardised", standardise(x))):
            for l2 in L2S:
                f, g, dec = solve(Objective(xs, y, l2))
                lines.append(f"{name},{features},{l2!r},{f!r},{g:.3e},{dec:.3e}")
                print(lines[-1], file=sys.stderr)
    with open(os.path.join(RESOURCES, "optima.csv"), "w") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
