;; WASI calls from a module without memory, each with an empty range at 0.
;; Found by wasmfuzz-run: vm/wasi.c computed NULL + 0 (UB; clang's UBSan:
;; "applying zero offset to null pointer"). Both calls return EFAULT; the
;; program returns.
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get"
    (func $random (param i32 i32) (result i32)))
  (func (export "_start")
    i32.const 3 i32.const 0 i32.const 0 i32.const 0 i32.const 0
    i64.const 0 i64.const 0 i32.const 0 i32.const 0 call $open drop
    i32.const 0 i32.const 0 call $random drop))
