#!/usr/bin/env bash
# Prepares headless notebook execution for the tests:
#   1. Debian's Jupyter pieces (nbclient, jupyter-client, nbconvert) and fonts for the charts,
#      installed with apt-get when missing (root only; otherwise it names the packages and fails);
#   2. the rapaio Java kernel (io.github.padreati:rapaio-jupyter-kernel:3.0.1), fetched from
#      Maven Central by Maven itself into notebooks/target/kernel/;
#   3. a kernelspec named "java" (the name the notebooks ask for) in the private Jupyter path
#      notebooks/target/jupyter, so nothing is written to ~/.local, and "java-binder", the same kernel
#      on a Binder-sized JVM (-XX:ActiveProcessorCount=1 -Xmx512m, pinned to CPU 0 with taskset).
#
# Prints the Python interpreter that has nbclient as its last line of standard output.
# Environment: FASTGN_PYTHON (an interpreter to prefer), JAVA_HOME (the JDK for the kernel).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
work="$here/target"
kernel_version=3.0.1
kernel_jar="$work/kernel/rapaio-jupyter-kernel-$kernel_version.jar"
spec_dir="$work/jupyter/kernels/java"
binder_spec_dir="$work/jupyter/kernels/java-binder"
apt_packages=(jupyter-nbconvert python3-nbclient jupyter-client fontconfig fonts-dejavu-core)

log() { echo "[setup-kernel] $*" >&2; }

# ------------------------------------------------------------------ 1. Jupyter and fonts

# The first python3 on PATH may be one without Debian's modules (pyenv, venv): try Debian's first.
find_python() {
    local candidates=()
    [[ -n "${FASTGN_PYTHON:-}" ]] && candidates+=("$FASTGN_PYTHON")
    candidates+=(/usr/bin/python3 python3)
    local p
    for p in "${candidates[@]}"; do
        if command -v "$p" >/dev/null 2>&1 \
            && "$p" -c 'import nbclient, nbformat, jupyter_client' >/dev/null 2>&1; then
            command -v "$p"
            return 0
        fi
    done
    return 1
}

have_fonts() {
    command -v fc-list >/dev/null 2>&1 && [[ -n "$(fc-list 2>/dev/null | head -n 1)" ]]
}

python_bin="$(find_python || true)"
if [[ -z "$python_bin" ]] || ! have_fonts; then
    if [[ "$(id -u)" -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
        {
            echo "The notebook tests need Jupyter's headless execution stack and fonts for the charts."
            [[ -z "$python_bin" ]] && echo "  missing: a python3 with nbclient, nbformat and jupyter_client"
            have_fonts || echo "  missing: fonts (fc-list lists none)"
            echo "Install these Debian/Ubuntu packages (as root), then run the tests again:"
            echo "  apt-get install -y --no-install-recommends ${apt_packages[*]}"
            echo "(Elsewhere: install nbclient, nbformat and jupyter_client for a python3 and point"
            echo " FASTGN_PYTHON at it.) To build without running the notebooks: mvn -B verify -Dnotebooks.skip"
        } >&2
        exit 3
    fi
    log "installing ${apt_packages[*]} with apt-get (log: $work/apt.log)"
    mkdir -p "$work"
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${apt_packages[@]}"; } \
            >"$work/apt.log" 2>&1; then
        tail -n 30 "$work/apt.log" >&2
        echo "apt-get could not install ${apt_packages[*]}" >&2
        exit 3
    fi
    python_bin="$(find_python || true)"
    if [[ -z "$python_bin" ]]; then
        echo "apt-get installed ${apt_packages[*]}, but no python3 imports nbclient; set FASTGN_PYTHON" >&2
        exit 3
    fi
fi

# ------------------------------------------------------------------ 2. the kernel jar

if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    java_bin="$JAVA_HOME/bin/java"
else
    java_bin="$(command -v java || true)"
fi
if [[ -z "$java_bin" ]]; then
    echo "no java found (set JAVA_HOME or put a JDK 17+ on PATH)" >&2
    exit 3
fi
if ! "$java_bin" --list-modules 2>/dev/null | grep -q '^jdk.jshell@'; then
    echo "$java_bin has no jdk.jshell module: the Java kernel needs a JDK, not a JRE" >&2
    exit 3
fi

if [[ ! -s "$kernel_jar" ]]; then
    log "fetching io.github.padreati:rapaio-jupyter-kernel:$kernel_version with Maven"
    mkdir -p "$work/kernel"
    # run outside any project directory, so Maven does not load a pom
    (cd "$work/kernel" && mvn -B -q \
        org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
        -Dartifact="io.github.padreati:rapaio-jupyter-kernel:$kernel_version" \
        -DoutputDirectory="$work/kernel" >&2)
fi
if [[ ! -s "$kernel_jar" ]]; then
    echo "Maven did not produce $kernel_jar" >&2
    exit 3
fi

# ------------------------------------------------------------------ 3. the kernelspec "java"

mkdir -p "$spec_dir" "$binder_spec_dir" "$work/kernel/mima_cache"
# "java-binder": the same kernel on a Binder-sized JVM (one processor, 512 MB heap), pinned to one
# CPU with taskset where it exists; the tests run the notebooks on it at their default preset
pin=""
if command -v taskset >/dev/null 2>&1 && taskset -c 0 true >/dev/null 2>&1; then
    pin="$(command -v taskset)"
fi
"$python_bin" - "$spec_dir/kernel.json" "$java_bin" "$kernel_jar" "$work/kernel/mima_cache" "$kernel_version" \
        "$binder_spec_dir/kernel.json" "$pin" <<'EOF'
import json, sys
out, java, jar, mima, version, binder_out, pin = sys.argv[1:]
env = {
    "RJK_COMPILER_OPTIONS": "",
    "RJK_TIMEOUT_MILLIS": "-1",
    "RJK_INIT_SCRIPT": "",
    "RJK_CLASSPATH": "",
    "RJK_MIMA_CACHE": mima,
    "RJK_MIMA_USER_SETTINGS": "false",
}
# the Vector API module gives the fast kernels (and no "not available" hint on stderr)
argv = [java, "--add-modules", "jdk.incubator.vector", "-jar", jar, "{connection_file}"]
binder_argv = ([pin, "-c", "0"] if pin else []) + [java, "-XX:ActiveProcessorCount=1", "-Xmx512m"] + argv[1:]
for path, args, name in ((out, argv, "Java (rapaio-jupyter-kernel %s)" % version),
                         (binder_out, binder_argv,
                          "Java (rapaio-jupyter-kernel %s, Binder-sized: 1 CPU, 512 MB)" % version)):
    spec = {"argv": args, "display_name": name, "language": "java", "interrupt_mode": "message", "env": env}
    with open(path, "w") as f:
        json.dump(spec, f, indent=2)
        f.write("\n")
EOF
log "kernelspecs java, java-binder -> $spec_dir (kernel $kernel_jar, $("$java_bin" -version 2>&1 | head -n 1))"
echo "$python_bin"
