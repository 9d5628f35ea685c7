#!/usr/bin/env python3
"""numpy (OpenBLAS) GEMM throughput + streaming-read bandwidth: the baseline of the kernel table.

Vendored unchanged (but for this note) from the FastGN peer harness (steering/peers/py/gemm_numpy.py,
not part of this repository). Issue 5 compares the Java kernels with it, run with OPENBLAS_CORETYPE
unset: `env -u OPENBLAS_CORETYPE python3 lib/experiments/src/bench/peers/gemm_numpy.py 5`.

Usage: gemm_numpy.py [reps=5]
Measures square 2048^3 GEMM (double/float) and the Gauss-Newton CG shapes
B x d x K = 4096x784x10, 4096x2048x10, 4096x512x1000 for both products
  NT: X[B,d] @ V[K,d].T       TN: A[B,K].T @ X[B,d]
plus a streaming read (a.sum() over 1 GiB) and a copy (np.copyto) bandwidth.
Prints OPENBLAS_CORETYPE and the numpy BLAS config; thread count from
OPENBLAS_NUM_THREADS (default: all cores).
"""
import os, sys, time
import numpy as np

reps = int(sys.argv[1]) if len(sys.argv) > 1 else 5
print(f"numpy {np.__version__} OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '<unset>')} "
      f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', '<unset>')}")
try:
    import threadpoolctl
    for i in threadpoolctl.threadpool_info():
        print("  blas:", i.get("internal_api"), i.get("version"), i.get("architecture"), "threads", i.get("num_threads"))
except Exception:
    pass


def med(fn):
    fn(); fn()
    ts = []
    for _ in range(reps):
        t = time.perf_counter(); fn(); ts.append(time.perf_counter() - t)
    return float(np.median(ts))


rng = np.random.default_rng(0)
for dt in (np.float64, np.float32):
    n = 2048
    A = rng.standard_normal((n, n)).astype(dt); Bm = rng.standard_normal((n, n)).astype(dt)
    t = med(lambda: A @ Bm)
    print(f"GEMM\tshape=square{n}\top=NN\tdtype={np.dtype(dt).name}\tmedian_s={t:.5f}\tGFLOPs={2 * n ** 3 / t / 1e9:.2f}")
    for B, d, K in ((4096, 784, 10), (4096, 2048, 10), (4096, 512, 1000)):
        X = rng.standard_normal((B, d)).astype(dt); V = rng.standard_normal((K, d)).astype(dt); Ab = rng.standard_normal((B, K)).astype(dt)
        fl = 2.0 * B * d * K
        t1 = med(lambda: X @ V.T)
        t2 = med(lambda: Ab.T @ X)
        print(f"GEMM\tshape={B}x{d}x{K}\top=NT\tdtype={np.dtype(dt).name}\tmedian_s={t1:.5f}\tGFLOPs={fl / t1 / 1e9:.2f}")
        print(f"GEMM\tshape={B}x{d}x{K}\top=TN\tdtype={np.dtype(dt).name}\tmedian_s={t2:.5f}\tGFLOPs={fl / t2 / 1e9:.2f}")

a = np.ones(128 * 1024 * 1024)  # 1 GiB
b = np.empty_like(a)
t = med(lambda: a.sum())
print(f"MEMBW\tnumpy-sum\tGiB=1\tmedian_GBs={a.nbytes / t / 1e9:.2f}")
t = med(lambda: np.copyto(b, a))
print(f"MEMBW\tnumpy-copy(read+write)\tGiB=1\tmedian_GBs={2 * a.nbytes / t / 1e9:.2f}")
