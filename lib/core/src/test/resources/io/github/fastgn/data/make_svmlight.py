#!/usr/bin/python3
"""Writes the svmlight test files of SvmlightTest with scikit-learn's dump_svmlight_file.

Run from this folder with Debian's python3 (python3-sklearn, python3-numpy, python3-scipy):
    /usr/bin/python3 make_svmlight.py
Each <name>.svm comes with <name>.expected.csv: what scikit-learn's own load_svmlight_file (its C++
parser) reads from that file, one line per example, "label,x_0,...,x_{d-1}" with every float in
Python's shortest round-trip repr, so the Java test compares its parse with scikit-learn's bit for
bit. (dump_svmlight_file writes values with "%.16g", so they differ from the generated doubles in
the 17th digit; the script checks that they agree to 1e-15 relative.)
"""
import numpy as np
import scipy.sparse as sp
from sklearn.datasets import dump_svmlight_file, load_svmlight_file

rng = np.random.default_rng(20261206)


def matrix(n, d, density, first_column_used):
    mask = rng.random((n, d)) < density
    if not first_column_used:
        mask[:, 0] = False
    else:
        mask[0, 0] = True
    # magnitudes from 1e-8 to 1e8, both signs, some small integers
    values = rng.standard_normal((n, d)) * 10.0 ** rng.integers(-8, 9, size=(n, d))
    ints = rng.random((n, d)) < 0.2
    values[ints] = rng.integers(-5, 6, size=ints.sum())
    values[values == 0] = 1.0
    return sp.csr_matrix(np.where(mask, values, 0.0))


def write(name, x, y, **kwargs):
    dump_svmlight_file(x, y, name + ".svm", **kwargs)
    zero_based = kwargs.get("zero_based", True)
    back = load_svmlight_file(name + ".svm", n_features=x.shape[1], zero_based=zero_based,
                              query_id="query_id" in kwargs)
    parsed, labels = back[0].toarray(), back[1]
    assert np.allclose(parsed, x.toarray(), rtol=1e-15, atol=0) and np.array_equal(labels, y), name
    assert np.array_equal(parsed != 0, x.toarray() != 0), name
    with open(name + ".expected.csv", "w") as f:
        f.write("# %d x %d, written by make_svmlight.py; label then the dense row\n" % x.shape)
        for i in range(x.shape[0]):
            f.write(",".join(repr(float(v)) for v in [labels[i], *parsed[i]]) + "\n")


# zero-based (dump_svmlight_file's default), column 0 used, a header comment, float labels
x = matrix(40, 30, 0.2, True)
y = rng.choice([-1.0, 2.0, 5.5], size=40)
write("sklearn_zero_based", x, y, comment="written by scikit-learn for FastGN's SvmlightTest")

# one-based with query ids, column 0 never used, an empty row, integer labels
x = matrix(25, 12, 0.3, False).tolil()
x[3, :] = 0
x = x.tocsr()
x.eliminate_zeros()
y = rng.integers(0, 4, size=25).astype(float)
write("sklearn_one_based_qid", x, y, zero_based=False, query_id=np.repeat(np.arange(5), 5))
