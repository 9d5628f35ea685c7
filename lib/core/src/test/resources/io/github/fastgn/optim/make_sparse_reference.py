#!/usr/bin/env python3
"""Writes the sparse optimum reference of SparseSklearnReferenceTest with scikit-learn.

Run from this folder (python3 with numpy, scipy and scikit-learn):
    python3 make_sparse_reference.py
text_small.svm: a small text-like set (count features, Zipf-like column use, some columns empty,
3 topics; no empty rows, which Tribuo's LibSVMDataSource refuses), written by dump_svmlight_file (zero-based). text_small.reference.csv: the optimum
scikit-learn's LogisticRegression (newton-cg, multinomial, fit_intercept=True, tol=1e-14) finds on
that file as a CSR matrix, for FastGN's objective f(W, b) = mean_i CE_i + l2/2 ||W||^2 (bias not
penalised), which is scikit-learn's sum_i CE_i + ||W||^2/(2C) divided by n with C = 1/(n l2), the
mapping of lib/experiments/src/bench/peers/sklearn_peers.py. Lines: "l2,<l2>", "f,<f*>",
"classes,<K>", "features,<d>", then K lines "W_c0,...,W_c(d-1),b_c". The script checks that the
gradient of f at that point is below 1e-9 (computed here with numpy, not scikit-learn).
"""
import numpy as np
import scipy.sparse as sp
from sklearn.datasets import dump_svmlight_file, load_svmlight_file
from sklearn.linear_model import LogisticRegression

rng = np.random.default_rng(13)
n, d, k, l2 = 240, 80, 3, 1e-2

# topics: each class favours its own block of words, all share a common block
rows, cols, vals, y = [], [], [], []
popularity = 1.0 / np.arange(1, d + 1) ** 0.8
popularity[d - 6:] = 0.0  # six words never used: empty columns
for i in range(n):
    c = i % k
    y.append(c)
    weights = popularity.copy()
    weights[10 + 20 * c:30 + 20 * c] *= 4.0
    weights /= weights.sum()
    words = rng.choice(d, size=rng.integers(3, 15), p=weights)
    counts = np.bincount(words, minlength=d)
    for j in np.nonzero(counts)[0]:
        rows.append(i)
        cols.append(j)
        vals.append(float(counts[j]) * (0.5 if j % 5 == 0 else 1.0))
x = sp.csr_matrix((vals, (rows, cols)), shape=(n, d))
y = np.array(y, dtype=float)
dump_svmlight_file(x, y, "text_small.svm", zero_based=True)

# fit on exactly what the file holds (n_features given: the empty trailing columns count)
xf, yf = load_svmlight_file("text_small.svm", n_features=d, zero_based=True)
C = 1.0 / (n * l2)
clf = LogisticRegression(C=C, solver="newton-cg", tol=1e-14, max_iter=100000, fit_intercept=True)
clf.fit(xf, yf)
W, b = clf.coef_, clf.intercept_
assert W.shape == (k, d)


def objective_and_gradient(W, b):
    z = xf @ W.T + b
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    onehot = np.eye(k)[yf.astype(int)]
    f = -np.mean(np.sum(onehot * np.log(p), axis=1)) + 0.5 * l2 * np.sum(W * W)
    r = (p - onehot) / n
    return f, np.asarray(xf.T @ r).T + l2 * W, r.sum(axis=0)


f, gw, gb = objective_and_gradient(W, b)
g = np.sqrt(np.sum(gw ** 2) + np.sum(gb ** 2))
assert g < 1e-9, g
with open("text_small.reference.csv", "w") as out:
    out.write(f"l2,{l2!r}\nf,{float(f)!r}\nclasses,{k}\nfeatures,{d}\n")
    for c in range(k):
        out.write(",".join(repr(float(v)) for v in list(W[c]) + [b[c]]) + "\n")
print(f"n={n} d={d} K={k} nnz={x.nnz} f*={f:.15f} |grad|={g:.2e}")
