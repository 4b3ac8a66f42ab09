# Regenerate wasi_modules.h: python3 gen_wasi_modules.py (needs wabt
# wat2wasm). Modules of wasi_args_test.c: WASI calls whose arguments the
# run-path fuzzer (tools/wasmfuzz/fuzz_run.c) found mishandled.
import os, sys
mods = {
"nomem": '''(module
  (import "wasi_snapshot_preview1" "random_get" (func $r (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $o (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (func (export "random0") (result i32) i32.const 0 i32.const 0 call $r)
  (func (export "open0") (result i32)
    i32.const 3 i32.const 0 i32.const 0 i32.const 0 i32.const 0 i64.const 0 i64.const 0 i32.const 0 i32.const 0 call $o))''',
"mem0": '''(module
  (import "wasi_snapshot_preview1" "random_get" (func $r (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $o (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (memory 0)
  (func (export "random0") (result i32) i32.const 0 i32.const 0 call $r)
  (func (export "open0") (result i32)
    i32.const 3 i32.const 0 i32.const 0 i32.const 0 i32.const 0 i64.const 0 i64.const 0 i32.const 0 i32.const 0 call $o))''',
"seek": '''(module
  (import "wasi_snapshot_preview1" "path_open" (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_seek" (func $seek (param i32 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "hello.txt")
  ;; open hello.txt, its fd to 16
  (func (export "open") (result i32)
    i32.const 3 i32.const 0 i32.const 100 i32.const 9 i32.const 0 i64.const 6 i64.const 0 i32.const 0 i32.const 16 call $open)
  ;; seek(offset, whence): errno; the new position at 32
  (func (export "seek") (param i64 i32) (result i32)
    i32.const 16 i32.load local.get 0 local.get 1 i32.const 32 call $seek)
  ;; read up to 8 bytes to 200: errno * 1000 + bytes read
  (func (export "read") (result i32)
    i32.const 0 i32.const 200 i32.store i32.const 4 i32.const 8 i32.store
    i32.const 16 i32.load i32.const 0 i32.const 1 i32.const 8 call $read
    i32.const 1000 i32.mul i32.const 8 i32.load i32.add))''',
"poll3": '''(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $p (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; poll(in, out, n): errno; the number of events at 4096
  (func (export "poll") (param i32 i32 i32) (result i32)
    local.get 0 local.get 1 local.get 2 i32.const 4096 call $p))''',
}
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from wat_header import write_header
write_header(mods, 'wasi_modules.h', 'TESTS_VM_WASI_MODULES_H',
             'tests/vm/wasi_modules.h: wasm modules for wasi_args_test.c')
