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
# memory.grow), float.wat (f32/f64), bulk.wat and shared.wat (trunc_sat,
# bulk memory, table and reference ops, atomics: the interpreter's
# handlers called from compiled code), fold.wat (ops with a constant
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
for w in bulk shared; do
	wat2wasm --enable-threads tests/vm/jit/$w.wat -o "$D/$w.wasm"
done
fail=0 n=0 want=1
# Modules whose functions this backend must compile (the ARM backend
# translates the first subset only: JIT_MUST_COMPILE="ops calls" there);
# the others' calls are still compared with the interpreter.
MUST=" ${JIT_MUST_COMPILE:-ops calls i64 float bulk shared fold} "

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
# bulk.wat, shared.wat (jit_bulk.c's ops): every function the call ran
# compiled (how many depends on where it trapped), none interpreted
same_all() {
	want='[1-9][0-9]*'
	same "$@"
	want=1
	if ! grep -q ', 0 interpreted$' "$D/c.all"; then
		echo "FAIL $*: interpreted: $(grep '^jit:' "$D/c.all" | tr '\n' ' ')"
		fail=1
	fi
}
F=$D/bulk.wasm
for a in "0 171 16" "250 7 300" "65530 1 6" "65530 1 7" "65536 9 0" \
	"65537 9 0" "-1 1 1" "32760 255 65536"; do
	# shellcheck disable=SC2086
	same_all fill "$F" $a
done
for a in "2 0 10" "0 2 10" "65520 0 16" "65520 0 17" "0 65530 7" \
	"65536 65536 0" "65536 0 1" "32000 65500 36" "-16 0 16"; do
	# shellcheck disable=SC2086
	same_all copy "$F" $a
done
for a in "0 0 0 16" "0 5 3 8" "0 65500 0 16" "0 65510 0 16" "0 0 16 0" \
	"0 0 16 1" "0 0 17 0" "1 0 0 0" "1 0 0 1" "1 65536 0 0"; do
	# shellcheck disable=SC2086
	same_all init "$F" $a
done
for a in 0 1; do
	same_all dropinit "$F" "$a"
done
for x in nan -nan inf -inf 0 -0 -0.9 1.5 -1.5 2147483647.5 -2147483648.5 \
	-2147483649 4294967295.9 4294967296 9.2e18 9.3e18 -9.3e18 1.8e19 \
	1.9e19 1e300 16777217 -1e-310; do
	same_all sat "$F" "$x"
done
for i in 0 1 2 3 4 -1; do
	same_all tget "$F" "$i"
done
for a in "0 0" "2 1" "3 0" "4 0" "-1 1"; do
	# shellcheck disable=SC2086
	same_all tset "$F" $a
done
for g in 0 1 5 6 7 100 -1; do
	same_all tgrow "$F" "$g"
done
for a in "0 10 0" "2 8 1" "10 0 0" "5 6 0" "11 0 1" "-1 1 0"; do
	# shellcheck disable=SC2086
	same_all tfill "$F" $a
done
for a in "1 0 3" "0 1 3" "0 0 4" "2 0 3" "0 2 3" "4 4 0" "5 0 0"; do
	# shellcheck disable=SC2086
	same_all tcopy "$F" $a
done
for a in "0 0 0 4" "0 1 2 2" "0 0 1 4" "0 4 4 0" "0 4 5 0" "1 0 0 0" \
	"1 0 0 1" "0 -1 0 1"; do
	# shellcheck disable=SC2086
	same_all tinit "$F" $a
done
for g in 0 1 2 -1; do
	same_all extern "$F" "$g"
done
for a in "0 0" "8 12345" "16 -1" "65528 0x0123456789abcdef" "9 1" "12 1" \
	"65532 1" "65536 1" "-8 1"; do
	# shellcheck disable=SC2086
	same_all atomics "$F" $a
done
for a in 0 2 65536 -4; do
	same_all wait32 "$F" "$a"
	same_all wait64 "$F" "$a"
done
F=$D/shared.wasm
for a in "16 7 0" "16 8 0" "16 7 -1" "16 7 1000" "18 7 0" "65536 0 0"; do
	# shellcheck disable=SC2086
	same_all wait32 "$F" $a
	# shellcheck disable=SC2086
	same_all wait64 "$F" $a
done
for a in "16 5" "17 1" "65532 0" "65536 1"; do
	# shellcheck disable=SC2086
	same_all notify "$F" $a
done
for a in "1 65536" "0 65536" "2 131064" "2 131068" "1 131072" "5 0"; do
	# shellcheck disable=SC2086
	same_all grow "$F" $a
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
