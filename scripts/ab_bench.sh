#!/usr/bin/env bash
# Interleaved benchmark runs of several incomesim binaries, so that a slow or busy moment of the
# host falls on all of them alike: household-years per second of the full scenario and the CPU
# seconds of its main phases, one line per run.
#
#   scripts/ab_bench.sh RUNS THREADS HOUSEHOLDS BIN...
#   scripts/ab_bench.sh 5 1 1000000 /tmp/incomesim-old target/release/incomesim
set -euo pipefail
if [ $# -lt 4 ]; then
  echo "usage: $0 RUNS THREADS HOUSEHOLDS BIN..." >&2
  exit 2
fi
runs=$1; threads=$2; households=$3; shift 3
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for _ in $(seq "$runs"); do
  for bin in "$@"; do
    "$bin" bench --households "$households" --stages full --threads "$threads" --format json > "$out"
    python3 - "$bin" "$out" <<'PY'
import json, sys
d = json.load(open(sys.argv[2]))
cpu = {p["phase"]: p["cpu_seconds"] for p in d["timings"]["phases"]}
phases = ["pilot_generation", "levers_and_sums", "dynamics", "quintile_ranking", "quintile_split",
          "quintile_sums", "alignment", "caseload_alignment"]
print(f"{sys.argv[1]:40s} {d['household_years_per_second']:>12,.0f} hh-yr/s  "
      f"{d['peak_memory_bytes'] / 2**20:6.0f} MiB  " + " ".join(f"{p}={cpu.get(p, 0):.3f}" for p in phases))
PY
  done
done
