#!/bin/sh
# Run ../shared/bench/wasm natively and under wasmrun, side by side.
#   tools/wasmrun/bench.sh [OUTDIR]     (default build/bench)
# WASMRUN: the binary (default ${O:-build}/host/wasmrun); RUNS: runs per
# program, the fastest counts (default 5); BENCHES: which programs.
# Prints "bench wasm <program> <seconds> s <ratio-to-native>x" per program
# and the geometric mean over the six compute programs (strops excluded:
# its native time is mostly process start-up). Exit 1 if a program fails.
set -eu
cd "$(dirname "$0")/../.."
OUT=$(mkdir -p "${1:-build/bench}" && cd "${1:-build/bench}" && pwd)
WASMRUN=$(cd "$(dirname "${WASMRUN:-${O:-build}/host/wasmrun}")" && pwd)/$(basename "${WASMRUN:-wasmrun}")
RUNS=${RUNS:-5}
BENCHES=${BENCHES:-"fib sieve matmul sha256 qsort bintree strops"}
SRC=../shared/bench/wasm
PIN=""
command -v taskset >/dev/null && PIN="taskset -c 1"

OUT="$OUT" BENCHES="$BENCHES" sh "$SRC/build.sh" >/dev/null

# best wall time in seconds of RUNS runs of "$@"
best() {
	b=""
	i=0
	while [ $i -lt "$RUNS" ]; do
		s=$(date +%s%N)
		$PIN "$@" >/dev/null || return 1
		e=$(date +%s%N)
		t=$((e - s))
		if [ -z "$b" ] || [ $t -lt "$b" ]; then b=$t; fi
		i=$((i + 1))
	done
	echo "$b"
}

status=0
logsum=0
n=0
for p in $BENCHES; do
	tn=$(best "$OUT/$p.native") || { echo "bench wasm $p native FAILED"; status=1; continue; }
	tw=$(best "$WASMRUN" "$OUT/$p.wasm") || { echo "bench wasm $p FAILED"; status=1; continue; }
	r=$(awk -v a="$tw" -v b="$tn" 'BEGIN { printf "%.2f", a / b }')
	awk -v p="$p" -v t="$tw" -v r="$r" 'BEGIN { printf "bench wasm %s %.3f s %sx\n", p, t / 1e9, r }'
	if [ "$p" != strops ]; then
		logsum=$(awk -v s="$logsum" -v r="$r" 'BEGIN { print s + log(r) }')
		n=$((n + 1))
	fi
done
[ $n -gt 0 ] && awk -v s="$logsum" -v n="$n" 'BEGIN { printf "bench wasm geomean %.2fx (%d programs, strops excluded)\n", exp(s / n), n }'
exit $status
