#!/usr/bin/env bash
# FastGN bench (GitHub issues 5, 10 and 13): races FastGN at its default options against scikit-learn on
# Fashion-MNIST (K=10), a synthetic K=1000 set, a K=1000 linear-probe set and a sparse bag-of-words
# text set (K=20, 2^18 hashed features, svmlight), peers re-measured in the same run, to f <= f*(1+1e-4).
#
# FastGN runs through its public entry points with only the objective (l2, standardize=false, full
# batch) and the stop at the target set (RaceConfig), each figure from its own JVM:
#   first run   the plain-array API (SoftmaxHeadTrainer), each timed run in a fresh JVM (the default
#               figure, what a notebook or a pipeline sees; RATIO uses it)
#   warm        the plain-array API, median of the timed runs after one warm-up in one JVM
#   tribuo      the Tribuo trainer (FGNTrainer on a MutableDataset of the same arrays), first run
#   scalar      the plain-array API, first run, with a plain `java` (no --add-modules
#               jdk.incubator.vector: the scalar kernels a JVM without the incubator module runs)
# Every run reports its time, passes over the data, iterations, final objective and gap, and the peak
# resident memory of its process (VmHWM for the JVM, ru_maxrss for Python: data loading included).
#
# Writes bench-results/results.tsv (every RESULT line), bench-results/bench.md (one table per set)
# and one log per run in bench-results/, shows the progress on standard error and prints one
# "RATIO <set> <FastGN first-run time / best peer time>" line per set on standard output.
#
# text (issue 13): both sides read the same svmlight files (FastGN's convert time = data.Svmlight for the
#               plain-array API, Tribuo's LibSVMDataSource for the Tribuo trainer); peers sklearn lbfgs,
#               newton-cg and saga on the same CSR matrix, and Tribuo's LogisticRegressionTrainer (defaults,
#               5 AdaGrad epochs, no l2: scored under the race objective, reported with its gap).
# Options: --sets fmnist,syn,probe,text (default all four)   --quick (only the best-known peer per set:
#          newton-cg for fmnist, lbfgs for syn and probe, saga for text; one run of each FastGN kind)
#          --repeats N (timed FastGN runs per kind; default 3 on fmnist, 1 on the other sets)
# Spark race (issue 15): ./bench.sh --spark [--spark-sets fmnist,syn] runs only FGNClassifier against
#          MLlib's LogisticRegression on cached DataFrames in local[2] mode (lib/spark SparkRace; time and
#          Spark jobs to f*(1+1e-4)), writing bench-results/spark.md; data as below (make_data.py).
# Env: PEERS_DATA (data folder, default ${TMPDIR:-/tmp}/peers_data; never the repository),
#      PEERS_CAP_S (cap per sklearn peer in seconds, default 300), FASHION_MNIST_DIR,
#      PEERS_CAP_FACTOR (default 0: off; e.g. 5 raises a set's peer cap to 5 x FastGN's first-run time there
#      when that is longer, so that a peer stopped at its cap still shows FastGN at most 1/5 of its time:
#      FastGN's first runs go before the peers; RATIO then ends in "upper-bound"),
#      FASTGN_CAP_S (time cap of one FastGN run in seconds, default 900: a run that does not reach
#      the target ends there and is reported as not reached),
#      FSTAR_CAP_S (cap of a float64 scipy run of fstar.py, default 7200: only for a set whose f* is not
#      documented in peers/common.py, as fmnist's, syn's and probe's are; text's f* comes from one
#      uncapped scikit-learn newton-cg run, about 3 min).
# Set bigdense (not in the default sets; --sets bigdense, alone or with others): FastGN alone on dense
#      features bigger than its heap (issue 13). A seeded 2,000,000 x 256 float matrix (2 GB, K = 100)
#      is written once into PEERS_DATA as a FastGN mapped matrix file (bigdense_X.f32m, generated in a
#      256 MB heap) and trained on from that file through SoftmaxHeadTrainer at its defaults (l2 as the
#      other sets, standardize=false) in a JVM with -Xmx1g, stopping at FastGN's own tolerance or
#      FASTGN_CAP_S; its RESULT line adds grad_norm and converged, and bench.md gets a bigdense table.
#      No peer: scikit-learn's LogisticRegression needs X in memory as one array: 2.0 GB as float32
#      (newton-cg, sag, saga keep float32), and lbfgs converts it to float64 (4.1 GB, on top of the
#      float32 array it was given while the copy is made); every loss/gradient evaluation then holds
#      n x K float64 arrays (raw predictions, per-sample gradients: 2e6 x 100 x 8 B = 1.6 GB each), so
#      some 6-10 GB of RAM against FastGN's 1 GB heap (plus the page cache of the mapped file).
# Needs: Java 17, Maven, Debian python3 with python3-numpy, python3-scipy and python3-sklearn, and the
# Debian package dataset-fashion-mnist (installed here with apt-get when running as root).
set -euo pipefail
cd "$(dirname "$0")"

sets="fmnist,syn,probe,text"
spark=0
spark_sets="fmnist"
quick=0
repeats=
while [ $# -gt 0 ]; do
  case "$1" in
    --sets) sets="${2:?--sets needs a value, e.g. fmnist,syn,probe}"; shift 2 ;;
    --quick) quick=1; shift ;;
    --spark) spark=1; shift ;;
    --spark-sets) spark_sets="${2:?--spark-sets needs a value, e.g. fmnist,syn}"; shift 2 ;;
    --repeats) repeats="${2:?--repeats needs a number}"; shift 2 ;;
    -h|--help) sed -n '2,53p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown option '$1' (use --sets fmnist,syn,probe,text,bigdense, --quick, --repeats N, --spark, --spark-sets fmnist,syn)" >&2; exit 2 ;;
  esac
done
if [ -n "$repeats" ] && ! [[ "$repeats" =~ ^[1-9][0-9]*$ ]]; then
  echo "bench.sh: --repeats expects a whole number >= 1, got '$repeats'" >&2; exit 2
fi
# --- Spark race (issue 15): FGNClassifier vs MLlib in local mode; own JVM, own table ------------------
if [ "$spark" -eq 1 ]; then
  export PEERS_DATA="${PEERS_DATA:-${TMPDIR:-/tmp}/peers_data}"
  IFS=',' read -r -a spark_list <<< "$spark_sets"
  for s in "${spark_list[@]}"; do
    [ -e "$PEERS_DATA/${s}_Xtr.f32" ] || /usr/bin/python3 lib/experiments/src/bench/peers/make_data.py --if-missing "$s" >&2
  done
  mvn -B -q -pl lib/spark -am -DskipTests -Dnotebooks.skip test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/race-classpath.txt >&2
  # the flags spark-submit passes to a Java 17 driver (org.apache.spark.launcher.JavaModuleOptions)
  spark_opts=(-XX:+IgnoreUnrecognizedVMOptions --add-modules jdk.incubator.vector)
  for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
           java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
    spark_opts+=("--add-opens=java.base/$p=ALL-UNNAMED")
  done
  spark_opts+=(--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Dio.netty.tryReflectionSetAccessible=true)
  mkdir -p bench-results
  java -Xmx6g "${spark_opts[@]}" -Dlog4j2.configurationFile=lib/spark/src/test/resources/log4j2-test.properties \
    -cp "lib/spark/target/test-classes:lib/spark/target/classes:$(cat lib/spark/target/race-classpath.txt)" \
    io.github.fastgn.spark.SparkRace --sets "$spark_sets" --data "$PEERS_DATA" --out bench-results \
    2>&1 | tee bench-results/spark.log >&2
  echo "wrote bench-results/spark.md" >&2
  exit 0
fi

IFS=',' read -r -a set_list <<< "$sets"
# --- bigdense (issue 13): taken out of the peer sets here, raced in its own block below ---------------
bigdense=0
peer_sets=()
for s in "${set_list[@]}"; do
  if [ "$s" = bigdense ]; then bigdense=1; else peer_sets+=("$s"); fi
done
set_list=(${peer_sets[@]+"${peer_sets[@]}"})
# --- end bigdense ---------------------------------------------------------------------------------------
for s in "${set_list[@]}"; do
  case "$s" in fmnist|syn|probe|text) ;; *) echo "bench.sh: unknown set '$s' (use fmnist, syn, probe, text and/or bigdense)" >&2; exit 2 ;; esac
done

export PEERS_DATA="${PEERS_DATA:-${TMPDIR:-/tmp}/peers_data}"
export PEERS_CAP_S="${PEERS_CAP_S:-300}"
cap_factor="${PEERS_CAP_FACTOR:-0}"
if ! [[ "$cap_factor" =~ ^[0-9]+([.][0-9]+)?$ ]]; then
  echo "bench.sh: PEERS_CAP_FACTOR expects a number >= 0 (e.g. 5), got '$cap_factor'" >&2; exit 2
fi
fastgn_cap="${FASTGN_CAP_S:-900}"
peers_dir=lib/experiments/src/bench/peers
py=/usr/bin/python3
out=bench-results
jar=lib/all/target/fastgn-all.jar

# --- prerequisites --------------------------------------------------------------------------------
fmnist_dir="${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}"
missing=()
[ -x "$py" ] || missing+=(python3)
if [ -x "$py" ]; then
  "$py" -c 'import numpy' 2>/dev/null || missing+=(python3-numpy)
  "$py" -c 'import scipy' 2>/dev/null || missing+=(python3-scipy)
  "$py" -c 'import sklearn' 2>/dev/null || missing+=(python3-sklearn)
fi
if [[ " ${set_list[*]} " == *" fmnist "* && ! -e "$fmnist_dir/train-images-idx3-ubyte.gz" ]]; then
  missing+=(dataset-fashion-mnist)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "bench.sh: installing ${missing[*]}" >&2
    apt-get update >&2 && apt-get install -y "${missing[@]}" >&2
  else
    echo "bench.sh: missing ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
for tool in java mvn; do
  command -v "$tool" >/dev/null || { echo "bench.sh: $tool not found (needs Java 17 and Maven)" >&2; exit 1; }
done

# --- build, data, f* --------------------------------------------------------------------------------
mvn -B -q -DskipTests package -pl lib/all -am >&2
vector_opts=()
if java --add-modules jdk.incubator.vector -version >/dev/null 2>&1; then
  vector_opts+=(--add-modules jdk.incubator.vector)
else
  echo "bench.sh: this java has no jdk.incubator.vector; the vector figures use the scalar kernels" >&2
fi
[ ${#set_list[@]} -eq 0 ] || "$py" "$peers_dir/make_data.py" --if-missing "${set_list[@]}" >&2

# --- races --------------------------------------------------------------------------------------------
mkdir -p "$out"
: > "$out/results.tsv"
collect() {  # collect LOG WHAT: appends the RESULT lines of LOG to results.tsv, fails when there are none
  grep '^RESULT' "$1" >> "$out/results.tsv" || { echo "bench.sh: $2 gave no RESULT line (see $1)" >&2; exit 1; }
}
fastgn() {  # fastgn SET LOG JAVA_OPTS... -- BENCH_ARGS...: one JVM, its output kept in LOG
  local set="$1" log="$2"; shift 2
  local opts=()
  while [ "$1" != "--" ]; do opts+=("$1"); shift; done
  shift
  java ${opts[@]+"${opts[@]}"} -jar "$jar" bench --set "$set" --data "$PEERS_DATA" --max-seconds "$fastgn_cap" "$@" \
    2>&1 | tee "$log" >&2
  collect "$log" "FastGN on $set ($log)"
}
for s in ${set_list[@]+"${set_list[@]}"}; do
  if [ "$quick" -eq 1 ]; then
    case "$s" in fmnist) solvers=(newton-cg) ;; text) solvers=(saga) ;; *) solvers=(lbfgs) ;; esac
  else
    case "$s" in fmnist) solvers=(newton-cg lbfgs) ;; text) solvers=(lbfgs newton-cg saga) ;; *) solvers=(lbfgs newton-cg) ;; esac
  fi
  r="${repeats:-$([ "$s" = fmnist ] && [ "$quick" -eq 0 ] && echo 3 || echo 1)}"
  first_max=0
  for i in $(seq 1 "$r"); do
    echo "== $s: FastGN plain-array API, first run in a fresh JVM ($i/$r)" >&2
    fastgn "$s" "$out/$s-fastgn-first-$i.log" ${vector_opts[@]+"${vector_opts[@]}"} -- --entry arrays --warm-ups 0 --repeats 1
    secs="$(grep '^RESULT' "$out/$s-fastgn-first-$i.log" | head -n 1 | tr '\t' '\n' | sed -n 's/^seconds=//p')"
    first_max="$(awk -v a="$first_max" -v b="${secs:-0}" 'BEGIN { print (b > a ? b : a) }')"
  done
  # the peers' cap: PEERS_CAP_S, raised to PEERS_CAP_FACTOR x FastGN's slowest first run when that is larger, so
  # that a peer stopped at its cap still bounds the ratio (FastGN / cap <= 1 / PEERS_CAP_FACTOR)
  cap="$(awk -v c="$PEERS_CAP_S" -v f="$cap_factor" -v t="$first_max" 'BEGIN { x = f * t; printf "%.0f", (x > c ? x : c) }')"
  for solver in "${solvers[@]}"; do
    echo "== $s: sklearn $solver (cap ${cap} s)" >&2
    # one process per solver, so that peak_mb is that solver's; its output is kept in a log
    log="$out/$s-sklearn-$solver.log"
    PEERS_CAP_S="$cap" "$py" "$peers_dir/sklearn_peers.py" "$s" "$solver" 2>&1 | tee "$log" >&2
    collect "$log" "sklearn $solver on $s"
  done
  echo "== $s: FastGN plain-array API, warm (1 warm-up + $r timed runs in one JVM)" >&2
  fastgn "$s" "$out/$s-fastgn-warm.log" ${vector_opts[@]+"${vector_opts[@]}"} -- --entry arrays --warm-ups 1 --repeats "$r"
  echo "== $s: FastGN Tribuo trainer, first run in a fresh JVM" >&2
  fastgn "$s" "$out/$s-fastgn-tribuo.log" ${vector_opts[@]+"${vector_opts[@]}"} -- --entry tribuo --warm-ups 0 --repeats 1
  echo "== $s: FastGN plain-array API, first run with a plain java (scalar kernels)" >&2
  fastgn "$s" "$out/$s-fastgn-scalar.log" -- --entry arrays --warm-ups 0 --repeats 1
  # --- text (issue 13): Tribuo's own LogisticRegressionTrainer as a peer, on the LibSVMDataSource dataset ---
  if [ "$s" = text ]; then
    echo "== $s: Tribuo LogisticRegressionTrainer (peer; defaults, scored under the race objective)" >&2
    fastgn "$s" "$out/$s-tribuo-logistic.log" -- --entry tribuo-logistic --warm-ups 0 --repeats 1
  fi
  # --- end text ---
done

if [ ${#set_list[@]} -gt 0 ]; then
  "$py" "$peers_dir/bench_table.py" "$out/results.tsv" "$out/bench.md" "${set_list[@]}"
else
  : > "$out/bench.md"
fi

# --- bigdense (issue 13): FastGN alone, trained from a 2 GB mapped matrix file in a 1 GB heap --------------
if [ "$bigdense" -eq 1 ]; then
  echo "== bigdense: the seeded 2,000,000 x 256 float matrix in $PEERS_DATA (written once, 256 MB heap)" >&2
  java -Xmx256m ${vector_opts[@]+"${vector_opts[@]}"} -jar "$jar" bigdense --data "$PEERS_DATA" --step generate >&2
  echo "== bigdense: FastGN plain-array API from the mapped file, -Xmx1g, first run in a fresh JVM" >&2
  java -Xmx1g ${vector_opts[@]+"${vector_opts[@]}"} -jar "$jar" bigdense --data "$PEERS_DATA" --step train \
    --max-seconds "$fastgn_cap" 2>&1 | tee "$out/bigdense-fastgn.log" >&2
  collect "$out/bigdense-fastgn.log" "FastGN on bigdense"
  { echo "## bigdense (2,000,000 x 256 float features in a mapped file, K = 100, -Xmx1g; no peer)"
    echo
    echo "| peer | kernels | time (s) | open+check (s) | passes | iterations | final objective | grad norm | converged | stop | solver | peak MB (VmHWM) |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
    grep '^RESULT' "$out/bigdense-fastgn.log" | awk -F'\t' '{
      for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = substr($i, length(kv[1]) + 2) }
      split(v["note"], stop, ";")
      printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", v["peer"], v["kernels"], v["seconds"],
        v["convert_s"], v["passes"], v["iters"], v["obj"], v["grad_norm"], v["converged"], stop[1], v["solver"], v["peak_mb"]
    }'
    echo
    echo "VmHWM counts the pages of the mapped feature file and of the temporary logit file the kernel holds for the"
    echo "process (file-backed, reclaimable); the Java heap is capped at 1 GB (peak_heap_mb in the RESULT line)."
    echo "scikit-learn is not raced: it needs X in memory (2 GB as float32, 4.1 GB as float64 for lbfgs) plus n x K float64 arrays: some 6-10 GB here (see ./bench.sh --help)."
    echo; } >> "$out/bench.md"
fi
# --- end bigdense -----------------------------------------------------------------------------------------
echo "wrote $out/results.tsv and $out/bench.md" >&2
