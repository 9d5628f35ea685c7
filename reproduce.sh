#!/usr/bin/env bash
# One-command reproduction: builds the jar, runs every experiment (quick preset by default) and
# writes results/ (CSV tables, PNG and SVG figures, report.md). Pass "--preset full" for the full
# protocol, "--out DIR" for another folder, "--only a,c" for some experiments.
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q -DskipTests package
java_opts=()
if java --add-modules jdk.incubator.vector -version >/dev/null 2>&1; then
  java_opts+=(--add-modules jdk.incubator.vector)
fi
exec java "${java_opts[@]}" -jar lib/all/target/fastgn-all.jar reproduce "$@"
