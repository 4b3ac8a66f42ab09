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

for m in start_params start_proc_exit start_spawn start_memory; do
	expect "$m" 1 "not a WASI command"
done
expect wait_alone 134 "wait would block forever"
expect wait_after 134 "wait would block forever"
expect wait_thread 7 ""
exit $fail
