# Regenerate simd_modules.h: python3 gen_simd_modules.py (needs wabt
# wat2wasm; 1.0.32 has SIMD on by default). Modules for the `wasm_simd`
# suite (simd_vm_test.c): v128 values through the VM's frame layout (calls,
# call_indirect, blocks, loops and branches carrying them, select, globals,
# locals, mixed with scalars, host functions) and the memory forms at the
# edges of memory.
import os, sys

mods = {
"v128": '''(module
  (memory 1)
  (global $g (export "g") (mut v128) (v128.const i32x4 1 2 3 4))
  (global $k v128 (v128.const i64x2 -1 7))
  (type $vv_v (func (param v128 v128) (result v128)))
  (table 1 funcref)
  (elem (i32.const 0) $add)
  (func $add (export "add") (type $vv_v)
    local.get 0 local.get 1 i32x4.add)
  ;; scalars and a v128 mixed, returned in reverse order
  (func $mix (export "mix") (param i32 v128 i64) (result i64 v128 i32)
    local.get 2 local.get 1 local.get 0)
  ;; a wide caller of $mix: a * 1000 + lane 1 (20) + (u32)b
  (func (export "call_mix") (param i32 i64) (result i32)
    local.get 0 v128.const i32x4 10 20 30 40 local.get 1 call $mix
    i32.const 1000 i32.mul local.set 0
    i32x4.extract_lane 1 local.get 0 i32.add local.set 0
    i32.wrap_i64 local.get 0 i32.add)
  ;; a wide function calling a scalar one with several values
  (func $s3 (param i32 i64 i32) (result i32 i64)
    local.get 0 local.get 2 i32.add local.get 1 i64.const 2 i64.mul)
  (func (export "wide_calls_scalar") (param v128 i32) (result i32)
    local.get 1 i64.const 5 i32.const 7 call $s3
    i32.wrap_i64 i32.add local.get 0 i32x4.extract_lane 3 i32.add)
  (func (export "indirect") (param v128 v128) (result v128)
    local.get 0 local.get 1 i32.const 0 call_indirect (type $vv_v))
  ;; results in the other order: each overwrites the other's local
  (func (export "swap") (param v128 v128) (result v128 v128)
    local.get 1 local.get 0)
  (func (export "block") (param v128 i32) (result v128 i32)
    local.get 0 local.get 1
    block (param v128 i32) (result v128 i32)
      i32.const 1 i32.add
    end)
  ;; a loop carrying (acc, n): every lane of acc sums n..1
  (func (export "loop") (param i32) (result v128)
    v128.const i32x4 0 0 0 0 local.get 0
    loop (param v128 i32) (result v128)
      local.tee 0 i32x4.splat i32x4.add
      local.get 0 i32.const 1 i32.sub local.tee 0
      local.get 0 br_if 0
      drop
    end)
  (func (export "br_table") (param i32) (result v128)
    block (result v128)
      block (result v128)
        v128.const i32x4 1 2 3 4 local.get 0 br_table 0 1
      end
      v128.const i32x4 10 10 10 10 i32x4.add
    end)
  (func (export "br_if") (param v128 i32) (result v128 i32)
    block (result v128 i32)
      local.get 0 i32.const 5 local.get 1 br_if 0
      drop i32x4.neg i32.const 6
    end)
  (func (export "if") (param v128 i32) (result v128)
    local.get 0 local.get 1
    if (param v128) (result v128) i32x4.neg else v128.not end)
  (func (export "select") (param v128 v128 i32) (result v128)
    local.get 0 local.get 1 local.get 2 select)
  (func (export "gget") (result v128) global.get $g)
  (func (export "gadd") (param v128)
    global.get $g local.get 0 i32x4.add global.set $g)
  (func (export "gk") (result v128) global.get $k)
  ;; a declared v128 local starts zero; tee keeps the value
  (func (export "local") (param i32) (result v128) (local v128 i64 v128)
    local.get 1 local.get 0 i32x4.splat local.tee 3 i32x4.add
    local.get 3 i32x4.add)
  (func (export "load") (param i32) (result v128) local.get 0 v128.load)
  (func (export "load_off") (param i32) (result v128)
    local.get 0 v128.load offset=0xfffffff0)
  (func (export "store") (param i32 v128) local.get 0 local.get 1 v128.store)
  (func (export "load32_lane") (param i32) (result v128)
    local.get 0 v128.const i32x4 0 0 0 0 v128.load32_lane 2)
  (func (export "store64_lane") (param i32 v128)
    local.get 0 local.get 1 v128.store64_lane 1)
  (func (export "byte") (param i32) (result i32) local.get 0 i32.load8_u)
  (func (export "shuffle") (param v128 v128) (result v128)
    local.get 0 local.get 1
    i8x16.shuffle 31 0 30 1 29 2 28 3 27 4 26 5 25 6 24 7))''',
# A host function taking and returning a v128 beside an i32.
"host_v128": '''(module
  (import "env" "twice" (func $twice (param v128 i32) (result i32 v128)))
  (func (export "use") (param v128) (result v128) (local v128)
    local.get 0 i32.const 3 call $twice
    local.set 1 i32x4.splat local.get 1 i32x4.add))''',
}
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from wat_header import write_header
write_header(mods, 'simd_modules.h', 'TESTS_VM_SIMD_MODULES_H',
             'tests/vm/simd_modules.h: wasm modules for the `wasm_simd` ktest suite')
