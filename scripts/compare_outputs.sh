#!/usr/bin/env bash
# Checks that two builds of incomesim give the same results: runs three scenarios with each
# binary and compares every CSV and JSON they write, byte for byte (summary.json without its
# timing, memory and version fields). Used to show a performance change is output-neutral.
#
#   scripts/compare_outputs.sh BIN_A BIN_B      # e.g. a copy of the old target/release/incomesim
#
# The scenarios: the built-in default run (30,000 households), Bayannur streamed (50,000 households
# through a pilot of 16,384), and Liupanshui with 6 replications and exact Shapley values (4,000
# households). Exit status 0 when every file is identical, 1 otherwise (each difference is named).
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 BIN_A BIN_B" >&2
  exit 2
fi
a=$(realpath "$1"); b=$(realpath "$2")
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed -e 's/^households = .*/households = 4000/' -e 's/^replications = .*/replications = 6/' \
  -e 's/^shapley = .*/shapley = true/' "$here/scenarios/liupanshui-2022.toml" > "$work/reps6.toml"
declare -A runs=(
  [default]="run --households 30000"
  [bayannur]="run $here/scenarios/bayannur-2017.toml --households 50000 --pilot-households 16384"
  [replications]="run $work/reps6.toml"
)
rc=0
for k in default bayannur replications; do
  for side in A B; do
    bin=$a; [ $side = B ] && bin=$b
    # shellcheck disable=SC2086
    "$bin" ${runs[$k]} --out "$work/$k-$side" > "$work/$k-$side.txt" 2>&1 || { echo "FAIL $k: $bin exited $?"; rc=1; }
  done
  n=0
  while IFS= read -r f; do
    n=$((n + 1))
    if [[ $f == *summary.json ]]; then
      python3 - "$work/$k-A/$f" "$work/$k-B/$f" <<'PY' || { echo "DIFF $k $f"; rc=1; }
import json, sys
def strip(d):
    if isinstance(d, dict):
        return {k: strip(v) for k, v in d.items()
                if not any(s in k for s in ("time", "second", "elapsed", "memory")) and k != "version"
                # summary.json has listed warnings since 2026-12-04: an empty list equals none.
                and not (k == "warnings" and v == [])
                # baseline_paths has had reweighting_lambda since 2026-12-06: null equals none.
                and not (k == "reweighting_lambda" and v is None)}
    if isinstance(d, list):
        return [strip(x) for x in d]
    return d
sys.exit(0 if strip(json.load(open(sys.argv[1]))) == strip(json.load(open(sys.argv[2]))) else 1)
PY
    else
      cmp -s "$work/$k-A/$f" "$work/$k-B/$f" || { echo "DIFF $k $f"; rc=1; }
    fi
  done < <(cd "$work/$k-A" && find . -type f \( -name '*.csv' -o -name '*.json' \) | sort)
  echo "$k: $n files compared"
done
[ $rc = 0 ] && echo "identical"
exit $rc
