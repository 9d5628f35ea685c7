#!/usr/bin/env python3
"""Generate the bench data sets as raw little-endian float32 features / int32 labels.

Vendored from the FastGN peer harness (steering/peers/py/make_data.py, not part of this
repository). Same generation, seeds and scaling; changes: only the raw .f32/.i32 files and the
.json header are written (no .npy copies), the fmrf set is left out, `--if-missing` skips sets
whose files are complete, and `<set>_fstar.json` is written with the documented reference optimum
(common.DOCUMENTED_FSTAR) when it is missing. Added here: the `probe` set (its f* is documented in
common.DOCUMENTED_FSTAR with how it was computed); a set without a documented f* gets one from fstar.py.

Usage: make_data.py [--if-missing] [fmnist] [syn] [probe] [text]
Output folder: $PEERS_DATA (default: <system temp dir>/peers_data), never the repository.
Fashion-MNIST source: $FASHION_MNIST_DIR (default: Debian package
dataset-fashion-mnist location /usr/share/datasets/fashion-mnist).

Sets written (<set>_{Xtr,Xte}.f32, <set>_{ytr,yte}.i32, <set>.json with ntrain, ntest, d, K):
  fmnist : Fashion-MNIST pixels / 255, 60000x784 train, 10000x784 test, K=10
  syn    : synthetic K=1000 Gaussian prototypes, d=256, n=50000 train,
           10000 test; x = mu_y + sigma * eps, mu_k ~ N(0, I_d), eps ~ N(0, I_d);
           sigma controls overlap (SYN_SIGMA, default 3.0: nearest-prototype
           (Bayes) accuracy ~0.97)
  probe  : a linear probe on frozen embeddings, d=512, n=100000 train, 10000 test, K=1000 classes
           with Zipf class frequencies p_k ~ k^-1.1 (training set: smallest class 4 examples, median
           21, largest 17656, 779 classes under 50; every class at least once); x = m0 + L (c g_y + eps), L = R diag(sqrt(s)), R a random
           rotation, spectrum s_j ~ j^-1 (mean 1): anisotropic, correlated features with a common
           offset m0 = L g_0, as embedding tables are; class means c L g_k, g ~ N(0, I), c = PROBE_SEP
           (default 0.25), noise eps ~ N(0, I). Seed PROBE_SEED (default 2024).
  text   : a seeded bag-of-words set in svmlight format (text_train.svm 100000 rows, text_test.svm
           10000 rows, one-based indices, d = 2^18 hashed features, K = 20 topics; header text.json
           with format=svmlight and the file sizes). Words come from a vocabulary of 2^20 word ids,
           each hashed to one of 2^18 columns by a seeded random map (collisions as in a hashing
           vectorizer). A document has 10 + Poisson(45) tokens: 60% from a background Zipf(1.05)
           over the whole vocabulary (shared by every topic), 25% from its topic and 15% from a second
           topic drawn at random per document; a topic is a Zipf(1.0) over its own permutation of
           one shared pool of 30000 mid-frequency words, so topics overlap (every pool word is in
           every topic) and the classes are not separable (test accuracy of the optimum about 0.8).
           Values: tf-idf as scikit-learn's TfidfTransformer defaults (raw counts times smooth idf
           fitted on the training rows, each row scaled to unit l2 norm), rounded to float32 so that
           a float reader holds them exactly. About 50 nonzeros per row. Seed TEXT_SEED (default 1313).
           f* comes from fstar.py (scikit-learn newton-cg, float64, tol 1e-10) unless documented.
"""
import gzip, json, os, struct, sys, time
import numpy as np
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import DATA as OUT, DOCUMENTED_FSTAR, fstar_path, raw_files, svmlight_files

SRC = os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")
SYN_SEED = int(os.environ.get("SYN_SEED", "12345"))
SYN_K = int(os.environ.get("SYN_K", "1000"))
SYN_D = int(os.environ.get("SYN_D", "256"))
SYN_N = int(os.environ.get("SYN_N", "50000"))
SYN_NTEST = int(os.environ.get("SYN_NTEST", "10000"))
SYN_SIGMA = float(os.environ.get("SYN_SIGMA", "3.0"))
PROBE_SEED = int(os.environ.get("PROBE_SEED", "2024"))
PROBE_SEP = float(os.environ.get("PROBE_SEP", "0.25"))
TEXT_SEED = int(os.environ.get("TEXT_SEED", "1313"))
SETS = ("fmnist", "syn", "probe", "text")


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">I", data[:4])[0]
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    return arr.reshape(dims)


def save(prefix, Xtr, ytr, Xte, yte, meta):
    os.makedirs(OUT, exist_ok=True)
    for name, a in (("Xtr", Xtr), ("ytr", ytr), ("Xte", Xte), ("yte", yte)):
        a = np.ascontiguousarray(a)
        ext = "f32" if a.dtype == np.float32 else "i32"
        a.astype("<f4" if ext == "f32" else "<i4").tofile(os.path.join(OUT, f"{prefix}_{name}.{ext}"))
    meta = dict(meta, ntrain=int(Xtr.shape[0]), ntest=int(Xte.shape[0]), d=int(Xtr.shape[1]),
                K=int(max(ytr.max(), yte.max()) + 1))
    # header last: a set counts as complete only once its header exists and every size matches
    with open(os.path.join(OUT, f"{prefix}.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print(prefix, meta, flush=True)


def fmnist():
    Xtr = read_idx(os.path.join(SRC, "train-images-idx3-ubyte.gz")).reshape(60000, 784)
    ytr = read_idx(os.path.join(SRC, "train-labels-idx1-ubyte.gz")).astype(np.int32)
    Xte = read_idx(os.path.join(SRC, "t10k-images-idx3-ubyte.gz")).reshape(10000, 784)
    yte = read_idx(os.path.join(SRC, "t10k-labels-idx1-ubyte.gz")).astype(np.int32)
    return (Xtr.astype(np.float32) / 255.0, ytr, Xte.astype(np.float32) / 255.0, yte)


def probe():
    """The probe set (module docstring): generated in float64 from PROBE_SEED, stored as float32."""
    n, nte, d, k = 100000, 10000, 512, 1000
    rng = np.random.default_rng(PROBE_SEED)
    freq = 1.0 / np.arange(1, k + 1) ** 1.1
    freq /= freq.sum()
    rot, _ = np.linalg.qr(rng.standard_normal((d, d)))
    spectrum = 1.0 / np.arange(1, d + 1)
    spectrum *= d / spectrum.sum()  # mean variance 1 per coordinate
    lift = rot * np.sqrt(spectrum)  # L = R diag(sqrt(s)): x = L v has covariance R diag(s) R^T
    offset = lift @ rng.standard_normal(d)
    means = PROBE_SEP * rng.standard_normal((k, d))

    def draw(rows, every_class):
        y = rng.choice(k, size=rows, p=freq).astype(np.int32)
        if every_class:  # the training set holds every class at least once (the rarest expect about 9)
            y[:k] = np.arange(k)
            rng.shuffle(y)
        v = means[y] + rng.standard_normal((rows, d))
        return (v @ lift.T + offset).astype(np.float32), y
    Xtr, ytr = draw(n, True)
    Xte, yte = draw(nte, False)
    return Xtr, ytr, Xte, yte


def text():
    """The text set (module docstring): CSR train and test matrices (float32 tf-idf) and labels."""
    import scipy.sparse as sparse
    from sklearn.feature_extraction.text import TfidfTransformer
    vocab, d, k, pool_size = 1 << 20, 1 << 18, 20, 30000
    rng = np.random.default_rng(TEXT_SEED)
    bucket = rng.integers(0, d, vocab)  # the hash of each word id
    background = 1.0 / np.arange(1, vocab + 1) ** 1.05
    background /= background.sum()
    order = rng.permutation(vocab)  # word id of each background rank
    pool = order[300:300 + pool_size]  # mid-frequency words, shared by all topics
    topic = 1.0 / np.arange(1, pool_size + 1)
    topic /= topic.sum()
    topic_words = np.stack([rng.permutation(pool) for _ in range(k)])  # word id of each rank, per topic

    def draw(rows):
        y = rng.integers(0, k, rows).astype(np.int32)
        second = rng.integers(0, k, rows)
        length = 10 + rng.poisson(45, rows)
        row = np.repeat(np.arange(rows), length)
        u = rng.random(row.size)
        source = np.where(u < 0.6, 0, np.where(u < 0.85, 1, 2))
        word = np.empty(row.size, np.int64)
        m = source == 0
        word[m] = order[rng.choice(vocab, int(m.sum()), p=background)]
        for s, labels in ((1, y), (2, second)):
            m = source == s
            word[m] = topic_words[labels[row[m]], rng.choice(pool_size, int(m.sum()), p=topic)]
        counts = sparse.csr_matrix((np.ones(row.size), (row, bucket[word])), shape=(rows, d))
        counts.sum_duplicates()
        return counts, y
    ctr, ytr = draw(100000)
    cte, yte = draw(10000)
    tfidf = TfidfTransformer().fit(ctr)
    return tfidf.transform(ctr).astype(np.float32), ytr, tfidf.transform(cte).astype(np.float32), yte


def save_svmlight(prefix, Xtr, ytr, Xte, yte, meta):
    from sklearn.datasets import dump_svmlight_file
    os.makedirs(OUT, exist_ok=True)
    sizes = {}
    for part, X, y in (("train", Xtr, ytr), ("test", Xte, yte)):
        path = os.path.join(OUT, f"{prefix}_{part}.svm")
        dump_svmlight_file(X, y, path, zero_based=False)
        sizes[f"{part}_bytes"] = os.path.getsize(path)
    meta = dict(meta, format="svmlight", zero_based=False, ntrain=int(Xtr.shape[0]), ntest=int(Xte.shape[0]),
                d=int(Xtr.shape[1]), K=int(max(ytr.max(), yte.max()) + 1), nnz_train=int(Xtr.nnz),
                nnz_per_row=round(Xtr.nnz / Xtr.shape[0], 2), **sizes)
    with open(os.path.join(OUT, f"{prefix}.json"), "w") as f:  # header last, as save()
        json.dump(meta, f, indent=1)
    print(prefix, meta, flush=True)


def complete(name):
    """Whether the header and the data files of `name` exist with the sizes the header says."""
    try:
        if svmlight_files(name):
            return all(os.path.getsize(p) == size for p, size in svmlight_files(name))
        return all(os.path.getsize(p) == 4 * c for p, _, c in raw_files(name))
    except (OSError, ValueError, KeyError):
        return False


def write_fstar(name):
    if not os.path.exists(fstar_path(name)) and name not in DOCUMENTED_FSTAR:
        import fstar
        fstar.compute(name)
    elif not os.path.exists(fstar_path(name)):
        with open(fstar_path(name), "w") as f:
            json.dump({"fstar": DOCUMENTED_FSTAR[name],
                       "source": "documented value (scipy L-BFGS-B float64, m=30; peer harness RESULTS.md)"}, f)
        print(f"{name}: wrote {fstar_path(name)} (documented f* = {DOCUMENTED_FSTAR[name]})", flush=True)


def main():
    args = sys.argv[1:]
    if_missing = "--if-missing" in args
    which = [a for a in args if a != "--if-missing"] or ["fmnist", "syn"]
    for w in which:
        if w not in SETS:
            sys.exit(f"unknown set {w!r}; use any of {', '.join(SETS)}")
    t0 = time.time()
    for w in which:
        if if_missing and complete(w):
            print(f"{w}: complete in {OUT}, kept", flush=True)
        elif w == "fmnist":
            Xtr, ytr, Xte, yte = fmnist()
            save("fmnist", Xtr, ytr, Xte, yte, dict(source="Fashion-MNIST IDX (Debian dataset-fashion-mnist)",
                                                    scale="x/255"))
        elif w == "text":
            t = time.time()
            Xtr, ytr, Xte, yte = text()
            save_svmlight("text", Xtr, ytr, Xte, yte, dict(
                source="bag of words: Zipf vocabulary of 2^20 word ids hashed to 2^18 columns, 20 overlapping "
                       "Zipf topics, tf-idf (make_data.py docstring)", seed=TEXT_SEED,
                generation_s=round(time.time() - t, 1)))
        elif w == "probe":
            t = time.time()
            Xtr, ytr, Xte, yte = probe()
            save("probe", Xtr, ytr, Xte, yte, dict(source="linear probe: Zipf(1.1) classes, rotated power-law "
                                                  "spectrum, common offset (make_data.py docstring)",
                                                  seed=PROBE_SEED, sep=PROBE_SEP,
                                                  smallest_class=int(np.bincount(ytr, minlength=1000).min()),
                                                  generation_s=round(time.time() - t, 1)))
        else:
            rng = np.random.default_rng(SYN_SEED)
            M = rng.standard_normal((SYN_K, SYN_D)).astype(np.float32)  # prototypes, unit variance per coordinate

            def draw(n):
                y = rng.integers(0, SYN_K, n).astype(np.int32)
                X = M[y] + SYN_SIGMA * rng.standard_normal((n, SYN_D)).astype(np.float32)
                return X.astype(np.float32), y
            Xtr, ytr = draw(SYN_N)
            Xte, yte = draw(SYN_NTEST)
            save("syn", Xtr, ytr, Xte, yte, dict(source="Gaussian prototypes mu_k~N(0,I_d); x=mu_y+sigma*N(0,I_d)",
                                                 seed=SYN_SEED, sigma=SYN_SIGMA))
        write_fstar(w)
    print("done in %.1fs -> %s" % (time.time() - t0, OUT), flush=True)


if __name__ == "__main__":
    main()
