#!/bin/sh
# tests/wasi/check.sh [OUTDIR]: WASI files end to end on wasmrun (issue 17).
# Builds programs/files.c natively (gcc) and for wasm32-wasi (clang 14,
# wasi-libc) and programs/wasi_escape.c for wasm32-wasi, then, each in a
# fresh scratch directory under OUTDIR/wasi-check:
#   native     files SCRATCH: the reference output, status 0
#   data       wasmrun --dir SCRATCH:/data files.wasm /data: same output
#   cwd        cd SCRATCH && wasmrun files.wasm .: the default "."
#              preopen (relative paths open in the current directory)
#   escape     wasmrun --dir SCRATCH:/data wasi_escape.wasm /data symlinks
#              with SCRATCH/out a symlink to /etc: every escape refused,
#              rights, readdir cookies, renumber, the read-only "/"; and
#              nothing made beside SCRATCH
#   bad-dir    --dir on a missing directory: status 2 and a message
# Prints "ok NAME" or "FAIL NAME" per run, then "wasi: N passed, N failed";
# fails if any failed. WASMRUN overrides OUTDIR/host/wasmrun.
set -u
cd "$(dirname "$0")/../.."
O=${1:-build}
WASMRUN=${WASMRUN:-$O/host/wasmrun}
D=$O/wasi-check
WASI_CC="clang --target=wasm32-wasi --sysroot=/usr -fuse-ld=/usr/bin/wasm-ld-14"
FLAGS="-O2 -Wall -Wextra -Werror"

[ -x "$WASMRUN" ] || { echo "check.sh: $WASMRUN not built" >&2; exit 2; }
WASMRUN=$(cd "$(dirname "$WASMRUN")" && pwd)/$(basename "$WASMRUN")
rm -rf "$D"
mkdir -p "$D"
D=$(cd "$D" && pwd)
passed=0 failed=0
result() { # result NAME OK
	if [ "$2" = 0 ]; then
		echo "ok $1"
		passed=$((passed + 1))
	else
		echo "FAIL $1 (log: $D/$1.out)"
		head -n 20 "$D/$1.out"
		failed=$((failed + 1))
	fi
}
fresh() { rm -rf "$D/$1" && mkdir "$D/$1"; }

gcc $FLAGS -o "$D/files" programs/files.c || exit 1
# shellcheck disable=SC2086
$WASI_CC $FLAGS -o "$D/files.wasm" programs/files.c || exit 1
# shellcheck disable=SC2086
$WASI_CC $FLAGS -o "$D/wasi_escape.wasm" programs/wasi_escape.c || exit 1

fresh native
"$D/files" "$D/native" >"$D/native.out" 2>&1
st=$?
grep -q '^files: [0-9]* passed, 0 failed$' "$D/native.out"
result native $((st + $?))

fresh data
"$WASMRUN" --dir "$D/data:/data" "$D/files.wasm" /data >"$D/data.out" 2>&1
st=$?
cmp -s "$D/native.out" "$D/data.out"
result data $((st + $?))

fresh cwd
(cd "$D/cwd" && "$WASMRUN" "$D/files.wasm" .) >"$D/cwd.out" 2>&1
st=$?
cmp -s "$D/native.out" "$D/cwd.out"
result cwd $((st + $?))

fresh escape
ln -s /etc "$D/escape/out"
"$WASMRUN" --dir "$D/escape:/data" "$D/wasi_escape.wasm" /data symlinks \
	>"$D/escape.out" 2>&1
st=$?
grep -q '^wasi_escape: [0-9]* passed, 0 failed$' "$D/escape.out"
ok=$?
for f in made esc x; do
	if [ -e "$D/$f" ]; then
		echo "made $D/$f outside the preopen" >>"$D/escape.out"
		ok=1
	fi
done
result escape $((st + ok))

"$WASMRUN" --dir "$D/missing:/data" "$D/files.wasm" >"$D/bad-dir.out" 2>&1
st=$?
grep -q "^wasmrun: --dir $D/missing: No such file or directory" \
	"$D/bad-dir.out"
result bad-dir $(($? + (st != 2)))

echo "wasi: $passed passed, $failed failed"
[ "$failed" = 0 ]
