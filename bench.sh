#!/usr/bin/env bash
# FastGN bench (GitHub issue 5): races FastGN against scikit-learn on Fashion-MNIST (K=10) and a
# synthetic K=1000 set, peers re-measured in the same run, to f <= f*(1+1e-4).
# Writes bench-results/results.tsv (every RESULT line), bench-results/bench.md (one table per set)
# and one log per run in bench-results/, shows the progress on standard error and prints one
# "RATIO <set> <FastGN time / best peer time>" line per set on standard output.
#
# Options: --sets fmnist,syn (default both)   --quick (only the best-known peer per set:
#          newton-cg for fmnist, lbfgs for syn)   --repeats N (FastGN timed runs; default 3 on fmnist, 1 on syn, whose runs take minutes)
# Env: PEERS_DATA (data folder, default ${TMPDIR:-/tmp}/peers_data; never the repository),
#      PEERS_CAP_S (cap per sklearn peer in seconds, default 300), FASHION_MNIST_DIR.
# Needs: Java 17, Maven, Debian python3 with python3-numpy and python3-sklearn, and the Debian
# package dataset-fashion-mnist (installed here with apt-get when running as root).
set -euo pipefail
cd "$(dirname "$0")"

sets="fmnist,syn"
quick=0
repeats=
while [ $# -gt 0 ]; do
  case "$1" in
    --sets) sets="${2:?--sets needs a value, e.g. fmnist,syn}"; shift 2 ;;
    --quick) quick=1; shift ;;
    --repeats) repeats="${2:?--repeats needs a number}"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown option '$1' (use --sets fmnist,syn, --quick, --repeats N)" >&2; exit 2 ;;
  esac
done
IFS=',' read -r -a set_list <<< "$sets"
for s in "${set_list[@]}"; do
  case "$s" in fmnist|syn) ;; *) echo "bench.sh: unknown set '$s' (use fmnist and/or syn)" >&2; exit 2 ;; esac
done

export PEERS_DATA="${PEERS_DATA:-${TMPDIR:-/tmp}/peers_data}"
export PEERS_CAP_S="${PEERS_CAP_S:-300}"
peers_dir=lib/experiments/src/bench/peers
py=/usr/bin/python3
out=bench-results

# --- prerequisites --------------------------------------------------------------------------------
fmnist_dir="${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}"
missing=()
[ -x "$py" ] || missing+=(python3)
if [ -x "$py" ]; then
  "$py" -c 'import numpy' 2>/dev/null || missing+=(python3-numpy)
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
java_opts=()
if java --add-modules jdk.incubator.vector -version >/dev/null 2>&1; then
  java_opts+=(--add-modules jdk.incubator.vector)
fi
"$py" "$peers_dir/make_data.py" --if-missing "${set_list[@]}" >&2

# --- races --------------------------------------------------------------------------------------------
mkdir -p "$out"
: > "$out/results.tsv"
collect() {  # collect LOG WHAT: appends the RESULT lines of LOG to results.tsv, fails when there are none
  grep '^RESULT' "$1" >> "$out/results.tsv" || { echo "bench.sh: $2 gave no RESULT line (see $1)" >&2; exit 1; }
}
for s in "${set_list[@]}"; do
  if [ "$quick" -eq 1 ]; then
    case "$s" in fmnist) solvers=(newton-cg) ;; syn) solvers=(lbfgs) ;; esac
  else
    case "$s" in fmnist) solvers=(newton-cg lbfgs) ;; syn) solvers=(lbfgs newton-cg) ;; esac
  fi
  for solver in "${solvers[@]}"; do
    echo "== $s: sklearn $solver (cap ${PEERS_CAP_S} s)" >&2
    # one process per solver, so that peak_mb is that solver's; its output is kept in a log
    log="$out/$s-sklearn-$solver.log"
    "$py" "$peers_dir/sklearn_peers.py" "$s" "$solver" 2>&1 | tee "$log" >&2
    collect "$log" "sklearn $solver on $s"
  done
  r="${repeats:-$([ "$s" = syn ] && echo 1 || echo 3)}"
  echo "== $s: FastGN (1 warm-up + $r timed runs)" >&2
  log="$out/$s-fastgn.log"
  java "${java_opts[@]}" -jar lib/all/target/fastgn-all.jar bench --set "$s" --data "$PEERS_DATA" --repeats "$r" \
    2>&1 | tee "$log" >&2
  collect "$log" "FastGN on $s"
done

"$py" "$peers_dir/bench_table.py" "$out/results.tsv" "$out/bench.md" "${set_list[@]}"
echo "wrote $out/results.tsv and $out/bench.md" >&2
