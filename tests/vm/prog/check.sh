#!/bin/sh
# tests/vm/prog/check.sh [OUTDIR]: the end-to-end bulk memory check.
# Builds bulk.c natively with gcc and for wasm32-wasi with clang 14
# -matomics -mbulk-memory twice: plainly (memory.copy, memory.fill), and
# with a shared memory, for which wasm-ld makes the data segments passive
# and adds a start function doing memory.init and data.drop (and a data
# count section). Debian's wasi-libc is not built with atomics, so that
# second link needs --no-check-features; the program has one thread, so
# that is harmless. Checks with wasm2wat that each build has the
# instructions it should, runs both on OUTDIR/host/wasmrun (WASMRUN
# overrides) and compares their output with the native one. Then the same
# for fptr.c built with every 2.0 feature but SIMD (-mreference-types:
# call_indirect's table index is a padded 5-byte LEB, checked with
# wasm-objdump).
set -eu
cd "$(dirname "$0")/../../.."
O=${1:-build}
WASMRUN=${WASMRUN:-$O/host/wasmrun}
D=$O/bulk-prog
WASI_CC="clang --target=wasm32-wasi --sysroot=/usr -fuse-ld=/usr/bin/wasm-ld-14"
FLAGS="-O2 -Wall -Wextra -Werror -matomics -mbulk-memory"
SHARED="-Wl,--shared-memory,--max-memory=16777216,--no-check-features"

[ -x "$WASMRUN" ] || { echo "check.sh: $WASMRUN not built" >&2; exit 2; }
mkdir -p "$D"
gcc -O2 -Wall -Wextra -Werror -o "$D/bulk" tests/vm/prog/bulk.c
# shellcheck disable=SC2086
$WASI_CC $FLAGS -o "$D/bulk.wasm" tests/vm/prog/bulk.c
# shellcheck disable=SC2086
$WASI_CC $FLAGS $SHARED -o "$D/bulk-shared.wasm" tests/vm/prog/bulk.c
"$D/bulk" >"$D/native.out"
fail=0
for w in bulk bulk-shared; do
	wasm2wat --enable-threads "$D/$w.wasm" >"$D/$w.wat"
	want="memory.copy memory.fill"
	[ $w = bulk ] || want="$want memory.init data.drop"
	for ins in $want; do
		if ! grep -q "$ins" "$D/$w.wat"; then
			echo "FAIL $w.wasm: no $ins" >&2
			fail=1
		fi
	done
	if "$WASMRUN" "$D/$w.wasm" >"$D/$w.out" &&
		cmp -s "$D/native.out" "$D/$w.out"; then
		echo "ok $w.wasm: $(grep -c . "$D/$w.out") lines as native"
	else
		echo "FAIL $w.wasm: output differs from native" >&2
		diff "$D/native.out" "$D/$w.out" >&2 || true
		fail=1
	fi
done
gcc -O2 -Wall -Wextra -Werror -o "$D/fptr" tests/vm/prog/fptr.c
"$D/fptr" >"$D/fptr-native.out"
$WASI_CC -O2 -Wall -Wextra -Werror -mreference-types -msign-ext \
	-mmultivalue -mbulk-memory -mnontrapping-fptoint \
	-ftls-model=local-exec -o "$D/fptr.wasm" tests/vm/prog/fptr.c
if ! wasm-objdump -d "$D/fptr.wasm" |
	grep -q '11 8[0-9] 80 80 80 00 80 80 80.*call_indirect'; then
	echo "FAIL fptr.wasm: no call_indirect with a padded table index" >&2
	fail=1
fi
if "$WASMRUN" "$D/fptr.wasm" >"$D/fptr.out" &&
	cmp -s "$D/fptr-native.out" "$D/fptr.out"; then
	echo "ok fptr.wasm: $(grep -c . "$D/fptr.out") lines as native"
else
	echo "FAIL fptr.wasm: output differs from native" >&2
	diff "$D/fptr-native.out" "$D/fptr.out" >&2 || true
	fail=1
fi
exit $fail
