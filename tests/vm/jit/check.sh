#!/bin/sh
# tests/vm/jit/check.sh [OUTDIR]: the compiler tier against the
# interpreter (docs/vm-compiler.md). Each call below runs on WASMRUN
# (default OUTDIR/host-i386/wasmrun under qemu-i386) twice, with
# --interp and with the compiler, and must print the same stdout and
# stderr and end with the same status; the compiled run must have
# compiled the function (--jit-stats: "1 functions compiled", or $want), so a
# check cannot pass by falling back. Traps included: the message names
# the same function and code offset. Modules: ops.wat (i32 ops, memory,
# branches), calls.wat (interpreted callees and host functions called
# from compiled code), i64.wat (i64 ops, jump tables, call_indirect,
# memory.grow), float.wat (f32/f64), fold.wat (ops with a constant
# operand at the edges of the ARM backend's immediate folding);
# nested.wat and stack.wat are converted here for tools/jitcheck/.
set -eu
cd "$(dirname "$0")/../../.."
O=${1:-build}
WASMRUN=${WASMRUN:-$O/host-i386/wasmrun}
QEMU=${QEMU:-${QEMU_i386:-qemu-i386}} # QEMU: another build's emulator
D=$O/jit-check
[ -x "$WASMRUN" ] || { echo "check.sh: $WASMRUN not built" >&2; exit 2; }
mkdir -p "$D"
for w in ops calls nested i64 float fold stack; do
	wat2wasm tests/vm/jit/$w.wat -o "$D/$w.wasm"
done
fail=0 n=0 want=1
# Modules whose functions this backend must compile (the ARM backend
# translates the first subset only: JIT_MUST_COMPILE="ops calls" there);
# the others' calls are still compared with the interpreter.
MUST=" ${JIT_MUST_COMPILE:-ops calls i64 float fold} "

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
	elif case "$MUST" in *" $(basename "$file" .wasm) "*) false ;; *) true ;; esac; then
		echo "ok $what: status $sc (not required to compile on this backend)"
	elif ! grep -q "^jit: $want functions compiled" "$D/c.all"; then
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

# calls.wat: callees left to the interpreter, and host functions
F=$D/calls.wasm
for a in 0 1 1000; do
	same callslow "$F" "$a"
done
for a in 5 0 -1; do
	same slowtrap "$F" "$a"
done
for a in 0 1 3; do
	same growcall "$F" "$a"
done
for a in 0 2 3; do
	same hostcall "$F" "$a"
done
for a in 0 10 4000 100000; do
	same ping "$F" "$a"
done
# compiled callees called directly (the IA-32 inline call path)
for a in 0 10 9000 100000; do
	same deep "$F" "$a"
done
want=2
for a in 5 0 -1; do
	same fasttrap "$F" "$a"
done
want=3
for a in 0 7 -1; do
	same locals "$F" "$a"
done
want=1
# i64.wat: i64 ops, jump tables, call_indirect, memory.size/grow
F=$D/i64.wasm
for ab in "0 0" "1 2" "-1 63" "-1 64" "12345678901 -7" \
	"-9223372036854775808 -1" "4294967295 33" "9223372036854775807 31" \
	"-4294967296 32" "81985529216486895 -3" "3 0x8000000000000000" \
	"-81985529216486895 5"; do
	# (the last: shr_s of a negative value by less than 32)
	for f in mix64 cmp64 brcmp64; do
		# shellcheck disable=SC2086
		same "$f" "$F" $ab
	done
done
for f in div64_s div64_u rem64_s rem64_u; do
	for ab in "7 2" "-7 2" "7 -2" "-9223372036854775808 -1" "5 0" \
		"0 -1" "-1 3" "12345678901234 -4294967296"; do
		# shellcheck disable=SC2086
		same "$f" "$F" $ab
	done
done
for x in 0 1 5 100000; do
	same loop64 "$F" "$x"
done
for x in 0 1 2 3 4 5 6 7 -1; do
	same jumptable "$F" "$x"
done
for x in 1 2 5 1000; do
	same tableloop2 "$F" "$x"
done
# the callee compiles too: two functions (a trap before the call: one)
want=2
for kx in "0 21" "1 -1"; do
	# shellcheck disable=SC2086
	same indirect "$F" $kx
done
want=1
for kx in "2 5" "3 5" "4 5" "-1 5"; do
	# shellcheck disable=SC2086
	same indirect "$F" $kx
done
for x in 0 1 2 3 -1; do
	same grow "$F" "$x"
done
# float.wat: f32/f64 ops on NaN, -0, infinities, subnormals, halves
F=$D/float.wasm
for ab in "0 0" "-0 0" "0 -0" "1.5 -2.5" "-0.5 0.5" "2.5 3.5" "nan 1" \
	"1 nan" "-nan 1" "inf -inf" "-inf 2" "1e-310 -1e-310" "3e38 1e39" \
	"4503599627370497 0.1" "-4503599627370495.5 7" "1e300 1e-300" \
	"16777217 0.3" "-2.5e-45 1"; do
	for f in f64ops f32ops fcmp; do
		# shellcheck disable=SC2086
		same "$f" "$F" $ab
	done
done
for a in 0 1 -1 9007199254740993 -9223372036854775808 \
	9223372036854775807 0x7fffffffffffffff 16777217 -16777217 \
	0xffffffff 0x80000001 0x8000000000000401; do
	same conv "$F" "$a"
done
for x in 0 1 10 1000; do
	same harmonic "$F" "$x"
done
for f in t32s_64 t32u_64 t64s_64 t64u_64 t32s_32 t32u_32 t64s_32 t64u_32; do
	for x in nan -1 -0.9 2147483647.9 -2147483648.5 -2147483649 \
		4294967295.5 4294967296 9.2e18 -9.3e18 1.8e19 1e20 -inf; do
		same "$f" "$F" "$x"
	done
done
# fold.wat: constant operands at the edges of immediate folding
F=$D/fold.wasm
for a in 0 1 -1 3 2147483647 -2147483648 123456789 65536; do
	same mul32 "$F" "$a"
done
for a in 0 1 -1 254 255 256 4278190080 4278190079 4294967295 4294967296 \
	-256 -257 -4294967296 74565 -9223372036854775808 \
	9223372036854775807; do
	for f in bin64 cmp64k brk64; do
		same "$f" "$F" "$a"
	done
done
echo "jit-check: $n calls, $([ $fail = 0 ] && echo all the same || echo FAILED)"
exit $fail
