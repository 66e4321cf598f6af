#!/usr/bin/env bash
# Checks that every version of the SIMD kernels (src/lib.rs, `simd_kernel!`: the x86-64
# baseline, AVX2 and AVX-512) gives the same bits. The normal build chooses the version
# at run time, so a processor only ever runs one of them; this script builds the other
# two with the `static-kernels` feature, which chooses at compile time (the baseline with
# the default target features, AVX2 with `-C target-feature=+avx2,+fma`), and compares
# each with the normal build:
#   - scripts/compare_outputs.sh (three `incomesim run`s, every CSV and JSON byte for byte);
#   - `incomesim-peers` on a random population of 200,000 households in the peers' layout
#     (scripts/peer_population.py; the dibao's plain path, whose kernels the runs above
#     may not reach), its aggregates compared as printed, with and without --edge-lever.
#
#   scripts/check_kernels.sh [WORK_DIR]     # builds in WORK_DIR (default: a temporary folder)
#
# Each build compiles every dependency once (a few minutes on 2 cores). Exit status 0 when
# every output is identical, 1 otherwise. Which version the normal build runs here is
# printed first (the first of AVX-512, AVX2 the processor has, else the baseline).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d)}
mkdir -p "$work"
cd "$here"

flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || true)
has() { [[ " $flags " == *" $1 "* ]]; }
if has avx512f && has avx512bw && has avx512cd && has avx512dq && has avx512vl; then
  native=AVX-512
elif has avx2 && has fma; then
  native=AVX2
else
  native=baseline
fi
echo "this processor runs the $native kernels in the normal build"

cargo build --release --bins --quiet
mkdir -p "$work/bin"
cp target/release/incomesim "$work/bin/incomesim-native"
cp target/release/incomesim-peers "$work/bin/incomesim-peers-native"
CARGO_TARGET_DIR="$work/target-baseline" cargo build --release --bins --quiet --features static-kernels
CARGO_TARGET_DIR="$work/target-avx2" RUSTFLAGS="-C target-feature=+avx2,+fma" \
  cargo build --release --bins --quiet --features static-kernels
cp "$work/target-baseline/release/incomesim" "$work/bin/incomesim-baseline"
cp "$work/target-baseline/release/incomesim-peers" "$work/bin/incomesim-peers-baseline"
cp "$work/target-avx2/release/incomesim" "$work/bin/incomesim-avx2"
cp "$work/target-avx2/release/incomesim-peers" "$work/bin/incomesim-peers-avx2"

# Evidence that the builds differ: instructions on 256-bit (ymm) and 512-bit (zmm)
# registers in each peers' runner (the baseline has neither, AVX2 no zmm).
if command -v objdump > /dev/null; then
  for version in native baseline avx2; do
    d=$(objdump -d "$work/bin/incomesim-peers-$version")
    echo "incomesim-peers-$version: $(grep -c ymm <<< "$d" || true) ymm and $(grep -c zmm <<< "$d" || true) zmm instructions"
  done
fi

python3 scripts/peer_population.py "$work/peers.npz" 200000 42
rc=0
aggregates() {
  # shellcheck disable=SC2068
  "$1" --input "$work/peers.npz" $2 | sed -n 's/^RESULT //p' |
    python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["aggregates"], sort_keys=True))'
}
for version in baseline avx2; do
  echo "== $version against the normal build ($native)"
  scripts/compare_outputs.sh "$work/bin/incomesim-native" "$work/bin/incomesim-$version" || rc=1
  for edge in "" "--edge-lever"; do
    a=$(aggregates "$work/bin/incomesim-peers-native" "$edge")
    b=$(aggregates "$work/bin/incomesim-peers-$version" "$edge")
    if [ "$a" = "$b" ]; then
      echo "same peers' aggregates ${edge:-(three levers)}: $a"
    else
      echo "DIFF peers' aggregates ${edge:-(three levers)}:"; echo "  native:   $a"; echo "  $version: $b"; rc=1
    fi
  done
done
[ $rc = 0 ] && echo "every kernel version gives the same outputs"
exit $rc
