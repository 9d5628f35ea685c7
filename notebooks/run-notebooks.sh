#!/usr/bin/env bash
# Executes every notebooks/NN-*.ipynb headless on a real Java kernel and checks the results
# (see run_notebooks.py). `mvn -B verify` runs this in the integration-test phase.
#
#   notebooks/run-notebooks.sh [--use-installed-kernel] [run_notebooks.py options] [notebook ...]
#
# By default it prepares the test kernel first (setup-kernel.sh: Debian's Jupyter pieces,
# rapaio-jupyter-kernel 3.0.1 from Maven Central, a private kernelspec "java").
# --use-installed-kernel skips that and uses the "java" kernel Jupyter already knows
# (IJava or JJava, say); the python running the checks then needs nbclient (FASTGN_PYTHON).
# FASTGN_PRESET (default tiny) is the size the notebooks run at. Afterwards they run again on the
# "java-binder" kernel (one CPU, -Xmx512m) at their default preset (skip: FASTGN_BINDER_RUN=false).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
work="$here/target"
built="$root/lib/all/target/fastgn-all.jar"
jar="$here/fastgn-all.jar"

use_installed=false
args=()
for a in "$@"; do
    if [[ "$a" == "--use-installed-kernel" ]]; then
        use_installed=true
    else
        args+=("$a")
    fi
done

# the jar the notebooks load with `%jars ./fastgn-all.jar` (Maven's package phase copies it too)
if [[ -s "$built" && ( ! -s "$jar" || "$built" -nt "$jar" ) ]]; then
    cp "$built" "$jar"
fi
if [[ ! -s "$jar" ]]; then
    echo "no $jar: build the library first (mvn -B -DskipTests package)" >&2
    exit 3
fi

# the outputs policy first: cheap, and needs no Jupyter
python3 "$here/run_notebooks.py" --check

mkdir -p "$work/runtime"
if $use_installed; then
    python_bin="${FASTGN_PYTHON:-/usr/bin/python3}"
else
    python_bin="$(bash "$here/setup-kernel.sh" | tail -n 1)"
    export JUPYTER_PATH="$work/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
fi
# connection files stay in the build directory too
export JUPYTER_RUNTIME_DIR="$work/runtime"
export FASTGN_PRESET="${FASTGN_PRESET:-tiny}"

"$python_bin" "$here/run_notebooks.py" "${args[@]+"${args[@]}"}"

# Then once more as on Binder: the "java-binder" kernel (one CPU, -Xmx512m) at each notebook's
# default preset (FASTGN_PRESET unset), so a notebook that outgrows a Binder pod fails the build.
# FASTGN_BINDER_RUN=false skips it; it needs the kernels setup-kernel.sh writes.
if ! $use_installed && [[ "${FASTGN_BINDER_RUN:-true}" != "false" ]]; then
    echo "--- again on a Binder-sized kernel (1 CPU, 512 MB heap) at the notebooks' default preset"
    "$python_bin" "$here/run_notebooks.py" --kernel java-binder --preset default \
        --out "$work/executed-binder" "${args[@]+"${args[@]}"}"
fi
