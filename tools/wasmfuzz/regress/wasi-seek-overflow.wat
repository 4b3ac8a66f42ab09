;; fd_seek with offsets that overflow a signed 64-bit position. Found by
;; wasmfuzz-run: vm/wasi.c added them with signed overflow (UBSan), and
;; then read at a position far past the data (pointer overflow) and
;; reported size - position, wrapped, as poll_oneoff's bytes left. Tries
;; a file of the host fuzzer's root ("hello.txt") and of the kernel fuzz
;; mode's ramdisk (this program's own file): seeks to END + INT64_MAX,
;; SET + INT64_MAX, CUR + 1, CUR + INT64_MAX, then reads, polls and
;; closes. Returns.
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_seek"
    (func $seek (param i32 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read"
    (func $read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff"
    (func $poll (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close"
    (func $close (param i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "hello.txt")
  (data (i32.const 120) "regress-wasi-seek-overflow.wasm")
  (func $try (param $name i32) (param $len i32) (local $fd i32)
    i32.const 3 i32.const 0 local.get $name local.get $len i32.const 0
    i64.const 0 i64.const 0 i32.const 0 i32.const 16 call $open
    if return end
    i32.const 16 i32.load local.set $fd
    local.get $fd i64.const 0x7fffffffffffffff i32.const 2 i32.const 32
    call $seek drop
    local.get $fd i64.const 0x7fffffffffffffff i32.const 0 i32.const 32
    call $seek drop
    local.get $fd i64.const 1 i32.const 1 i32.const 32 call $seek drop
    local.get $fd i64.const 0x7fffffffffffffff i32.const 1 i32.const 32
    call $seek drop
    ;; 8 bytes to 200, wherever the position is
    i32.const 0 i32.const 200 i32.store
    i32.const 4 i32.const 8 i32.store
    local.get $fd i32.const 0 i32.const 1 i32.const 8 call $read drop
    ;; a read subscription on the file at 1024, its event at 2048
    i32.const 1024 i32.const 1 i32.store8 offset=8
    i32.const 1024 local.get $fd i32.store offset=16
    i32.const 1024 i32.const 2048 i32.const 1 i32.const 8 call $poll drop
    local.get $fd call $close drop)
  (func (export "_start")
    i32.const 100 i32.const 9 call $try
    i32.const 120 i32.const 31 call $try))
