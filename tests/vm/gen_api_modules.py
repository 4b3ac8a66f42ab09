# Regenerate api_modules.h: python3 gen_api_modules.py (needs wabt wat2wasm).
# Modules for the `wasm_api` suite (api_test.c): what an embedder may get
# wrong when it calls into the VM.
import os, sys
mods = {
# Exports of every kind, WASI imports re-exported (as a command's _start
# might be), and functions of several arities.
"api": '''(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $close (param i32) (result i32)))
  (memory (export "memory") 1)
  (global (export "g") i32 (i32.const 5))
  (table (export "table") 1 funcref)
  (data (i32.const 0) "\\2a")
  (export "exit" (func $exit))
  (export "write" (func $write))
  (export "yield" (func $yield))
  (export "close" (func $close))
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "inc") (param i32) (result i32) local.get 0 i32.const 1 i32.add)
  (func (export "wrap") (param i64) (result i32) local.get 0 i32.wrap_i64)
  (func (export "peek") (result i32) i32.const 0 i32.load8_u)
  (func (export "count") (param i32) (result i32) (local i32)
    block loop local.get 0 i32.eqz br_if 1
      local.get 0 i32.const 1 i32.sub local.set 0
      local.get 1 i32.const 3 i32.add local.set 1 br 0 end end local.get 1))''',
# Finding 1 of issue 12: a _start that takes a parameter and returns.
"start_params": '(module (func (export "_start") (param i32) (result i32) local.get 0))',
# A host function as the start function: it runs with its instance.
"host_start": '''(module (import "env" "f" (func $f)) (memory 1) (start $f))''',
# A host function of two parameters, re-exported.
"host_two": '''(module (import "env" "two" (func $t (param i32 i32) (result i32)))
  (export "two" (func $t)))''',
}
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from wat_header import write_header
write_header(mods, 'api_modules.h', 'TESTS_VM_API_MODULES_H',
             'tests/vm/api_modules.h: wasm modules for the `wasm_api` ktest suite')
