#!/bin/sh
# tests/vm/wasmrun/check.sh [OUTDIR]: wasmrun on hand-written modules of
# issue 12 (make check, step 1b). Each .wat here is assembled by wabt's
# wat2wasm (threads enabled) into OUTDIR/wasmrun-check and run on
# OUTDIR/host/wasmrun (WASMRUN overrides) under a timeout, and must end
# with the status and the message listed below:
#   start_*   _start is not () -> (): refused, "not a WASI command", 1
#             (not a crash: a _start with parameters was a SIGSEGV)
#   wait_*    an untimed wait nothing could end traps (134); one a second
#             thread ends does not (docs/vm.md, the rule for both)
#   mv_*      multi-value (issue 14): a command computing its output with
#             multi-value functions, loops and blocks prints it; --invoke
#             prints each of several results, and its errors
#             (the expected stdout is listed below)
#   simd_*    --invoke with v128 arguments and results (0x + 32 hex
#             digits), and a malformed one
# Prints "ok NAME" or "FAIL NAME: why" per module; fails if any failed.
set -eu
cd "$(dirname "$0")/../../.."
O=${1:-build}
WASMRUN=${WASMRUN:-$O/host/wasmrun}
D=$O/wasmrun-check

[ -x "$WASMRUN" ] || { echo "check.sh: $WASMRUN not built" >&2; exit 2; }
mkdir -p "$D"
fail=0

# expect NAME STATUS TEXT: run NAME.wasm, want STATUS and TEXT on stderr
expect() {
	name=$1 want=$2 text=$3
	wat2wasm --enable-threads "tests/vm/wasmrun/$name.wat" -o "$D/$name.wasm"
	set +e
	timeout 20 "$WASMRUN" "$D/$name.wasm" >"$D/$name.out" 2>"$D/$name.err"
	got=$?
	set -e
	if [ "$got" != "$want" ]; then
		echo "FAIL $name: status $got, want $want ($(head -c 200 "$D/$name.err"))"
		fail=1
	elif [ -n "$text" ] && ! grep -qF "$text" "$D/$name.err"; then
		echo "FAIL $name: no \"$text\" in: $(head -c 200 "$D/$name.err")"
		fail=1
	else
		echo "ok $name: status $got${text:+, \"$text\"}"
	fi
}

# expect_out NAME STATUS STDOUT [WASMRUN-ARGS...]: run wasmrun
# WASMRUN-ARGS on NAME.wasm (in place of the word FILE, else after them),
# want STATUS and exactly STDOUT ("\n" between lines)
expect_out() {
	name=$1 want=$2 out=$3
	shift 3
	wat2wasm "tests/vm/wasmrun/$name.wat" -o "$D/$name.wasm"
	args=""
	for a in "$@"; do
		[ "$a" = FILE ] && a=$D/$name.wasm
		args="$args $a"
	done
	[ $# -gt 0 ] || args=" $D/$name.wasm"
	set +e
	# shellcheck disable=SC2086
	timeout 20 "$WASMRUN" $args >"$D/$name.out" 2>"$D/$name.err"
	got=$?
	set -e
	printf '%b' "$out" >"$D/$name.want"
	if [ "$got" != "$want" ]; then
		echo "FAIL $name$args: status $got, want $want ($(head -c 200 "$D/$name.err"))"
		fail=1
	elif ! cmp -s "$D/$name.out" "$D/$name.want"; then
		echo "FAIL $name$args: printed \"$(head -c 200 "$D/$name.out")\""
		fail=1
	else
		echo "ok $name$args: status $got"
	fi
}

for m in start_params start_proc_exit start_spawn start_memory; do
	expect "$m" 1 "not a WASI command"
done
expect wait_alone 134 "wait would block forever"
expect wait_after 134 "wait would block forever"
expect wait_thread 7 ""
expect_out mv_command 0 "12345 67890\n"
expect_out mv_invoke 0 "i32:-3\ni32:-1\n" --invoke divmod FILE -7 2
expect_out mv_invoke 0 "f64:2.5 (0x4004000000000000)\ni64:-5\nf32:0.5 (0x3f000000)\n" \
	--invoke mixed FILE -5 2.5
expect_out mv_invoke 0 "" --invoke none FILE
expect_out mv_invoke 134 "" --invoke divmod FILE 1 0
expect_out mv_invoke 2 "" --invoke divmod FILE 1 x
expect_out mv_invoke 2 "" --invoke divmod FILE 1
expect_out simd_invoke 0 "i32:16\nv128:0x00000014000000130000001200000011\n" \
	--invoke f FILE 0x00000004000000030000000200000001 16
expect_out simd_invoke 2 "" --invoke f FILE 0x0004 1
# a and b hold bytes 0x00..0x1f, so each result byte is its lane index
for f in "keep_b 0x1f1e1d0f1b1a190e1716150d1312110c" \
	"keep_a 0x0f0e0d1f0b0a09120706051103020110" \
	"generic 0x0f0e17160b0a15140706131203021110"; do
	expect_out simd_shuffle 0 "v128:${f#* }\n" --invoke "${f%% *}" FILE \
		0x0f0e0d0c0b0a09080706050403020100 \
		0x1f1e1d1c1b1a19181716151413121110
done
expect_out simd_shuffle 0 "v128:0xfffffffa0000000000000000fffffff7\n" \
	--invoke mul FILE 0xfffffffe800000000001000000000003 \
	0x000000030000000200010000fffffffd
exit $fail
