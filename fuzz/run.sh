#!/usr/bin/env bash
# Runs one fuzz target with steppe's limits, so that an input costing more than 10 s or 2 GiB
# is a finding (saved in fuzz/artifacts/<target>/ like a crash), as issue 14 asks: no small
# input may cost minutes or gigabytes. Run from anywhere:
#
#   bash fuzz/run.sh <front_matter|markdown|site> [seconds, default 600] [libFuzzer options or inputs…]
#
# `bash fuzz/run.sh markdown 0 fuzz/artifacts/markdown/crash-…` reproduces a finding under the
# same limits. Needs `cargo install cargo-fuzz`; the stable toolchain accepts cargo-fuzz's
# nightly flags with RUSTC_BOOTSTRAP=1.
set -euo pipefail
usage="usage: bash fuzz/run.sh <front_matter|markdown|site> [seconds] [libFuzzer options or inputs...]"
target=${1:?$usage}
seconds=${2:-600}
shift $(($# < 2 ? $# : 2))
cd "$(dirname "$0")"
# -s none: no AddressSanitizer (steppe has no unsafe code; runs are several times faster);
# -a: debug assertions and overflow checks. -timeout (seconds per input) and -rss_limit_mb
# (which also bounds a single allocation) make slowness and memory blow-ups findings.
RUSTC_BOOTSTRAP=1 exec cargo fuzz run "$target" -s none -a -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 "$@"
