#!/bin/sh
# tests/vm/jit/check.sh [OUTDIR]: the compiler tier against the
# interpreter (docs/vm-compiler.md). Each call below runs on WASMRUN
# (default OUTDIR/host-i386/wasmrun under qemu-i386) twice, with
# --interp and with the compiler, and must print the same stdout and
# stderr and end with the same status; the compiled run must have
# compiled the function (--jit-stats: "1 functions compiled"), so a
# check cannot pass by falling back. Traps included: the message names
# the same function and code offset.
set -eu
cd "$(dirname "$0")/../../.."
O=${1:-build}
WASMRUN=${WASMRUN:-$O/host-i386/wasmrun}
QEMU=${QEMU:-${QEMU_i386:-qemu-i386}} # QEMU: another build's emulator
D=$O/jit-check
[ -x "$WASMRUN" ] || { echo "check.sh: $WASMRUN not built" >&2; exit 2; }
mkdir -p "$D"
wat2wasm tests/vm/jit/ops.wat -o "$D/ops.wasm"
fail=0 n=0

# same FUNC ARGS...: --invoke FUNC on ops.wasm both ways
same() {
	n=$((n + 1))
	what="$*"
	f=$1 file=$2
	shift 2
	set +e
	timeout 60 "$QEMU" "$WASMRUN" --interp --invoke "$f" "$file" "$@" \
		>"$D/i.out" 2>"$D/i.err"
	si=$?
	timeout 60 "$QEMU" "$WASMRUN" --jit-stats --invoke "$f" "$file" "$@" \
		>"$D/c.out" 2>"$D/c.all"
	sc=$?
	set -e
	grep -v '^jit:' "$D/c.all" >"$D/c.err" || true
	if [ "$si" != "$sc" ]; then
		echo "FAIL $what: status $si interpreted, $sc compiled"
		fail=1
	elif ! cmp -s "$D/i.out" "$D/c.out" || ! cmp -s "$D/i.err" "$D/c.err"; then
		echo "FAIL $what: output differs: $(cat "$D/i.out" "$D/i.err") / $(cat "$D/c.out" "$D/c.err")"
		fail=1
	elif ! grep -q '^jit: 1 functions compiled' "$D/c.all"; then
		echo "FAIL $what: not compiled: $(grep '^jit:' "$D/c.all" | tr '\n' ' ')"
		fail=1
	else
		echo "ok $what: status $sc, $(cat "$D/c.out" "$D/c.err" | tr '\n' ' ')"
	fi
}

F=$D/ops.wasm
for a in 0 1 10 1000 100000; do
	same sum "$F" "$a"
done
for ab in "0 0" "1 2" "-1 31" "12345 -7" "-2147483648 -1" "65535 33" \
	"2147483647 -2147483648" "-100 5"; do
	# shellcheck disable=SC2086
	same mix "$F" $ab
done
for f in div_s div_u rem_s rem_u; do
	for ab in "7 2" "-7 2" "7 -2" "-2147483648 -1" "5 0" "0 -1" \
		"-1 3"; do
		# shellcheck disable=SC2086
		same "$f" "$F" $ab
	done
done
for av in "0 -1" "100 305419896" "65528 -2" "65529 1" "-4 1" \
	"-8 1" "4294967292 7"; do
	# shellcheck disable=SC2086
	same mem "$F" $av
done
for k in 0 1 2 3 4 -1 65533 -2147483648; do
	same edge "$F" "$k"
done
for x in 0 1 2 3 4 -1; do
	same switch "$F" "$x"
done
for x in 1 2 1000; do
	same tableloop "$F" "$x"
done
same unreachable "$F"
echo "jit-check: $n calls, $([ $fail = 0 ] && echo all the same || echo FAILED)"
exit $fail
