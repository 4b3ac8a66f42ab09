# Regenerate ref_modules.h: python3 gen_ref_modules.py (needs wabt wat2wasm;
# 1.0.32 has reference types and bulk memory on by default). Modules for
# the `wasm_ref` suite (ref_test.c): reference types, tables, element
# segments and the 2.0 instantiation order, hostile paths first.
import os, sys

mods = {
# Two tables (one with a maximum), every table instruction exported.
"tables": '''(module
  (type $v_i (func (result i32)))
  (type $i_i (func (param i32) (result i32)))
  (table $t (export "t") 2 4 funcref)
  (table $u (export "u") 3 externref)
  (table $f (export "f") 4 funcref)
  (func $one (type $v_i) i32.const 1)
  (func $two (type $v_i) i32.const 2)
  (func $inc (type $i_i) local.get 0 i32.const 1 i32.add)
  (elem (table $f) (i32.const 0) func $one $inc)
  (elem $p funcref (ref.func $two) (ref.null func) (ref.func $one))
  (elem declare func $inc)
  (func (export "grow_t") (param i32) (result i32)
    ref.null func local.get 0 table.grow $t)
  (func (export "grow_u") (param externref i32) (result i32)
    local.get 0 local.get 1 table.grow $u)
  (func (export "size_t") (result i32) table.size $t)
  (func (export "fill_u") (param i32 externref i32)
    local.get 0 local.get 1 local.get 2 table.fill $u)
  (func (export "get_u") (param i32) (result externref)
    local.get 0 table.get $u)
  (func (export "set_u") (param i32 externref)
    local.get 0 local.get 1 table.set $u)
  (func (export "init_t") (param i32 i32 i32)
    local.get 0 local.get 1 local.get 2 table.init $t $p)
  (func (export "drop_p") elem.drop $p)
  (func (export "copy_tf") (param i32 i32 i32)
    local.get 0 local.get 1 local.get 2 table.copy $t $f)
  ;; call_indirect through table $t (index 0) and $f (index 2)
  (func (export "call_t") (param i32) (result i32)
    local.get 0 call_indirect $t (type $v_i))
  (func (export "call_f") (param i32) (result i32)
    i32.const 41 local.get 0 call_indirect $f (type $i_i))
  (func (export "is_null") (param externref) (result i32)
    local.get 0 ref.is_null)
  (func (export "is_null_f") (param funcref) (result i32)
    local.get 0 ref.is_null)
  (func (export "inc_ref") (result funcref) ref.func $inc)
  (func (export "id") (param externref) (result externref) local.get 0)
  (func (export "pick") (param externref externref i32) (result externref)
    local.get 0 local.get 1 local.get 2 select (result externref))
  (global $g (export "g") (mut externref) (ref.null extern))
  (func (export "swap_g") (param externref) (result externref)
    global.get $g local.get 0 global.set $g))''',
# ref.func of a function no segment, export or global declares.
"undeclared": '''(module
  (func $f)
  (func (export "r") (result funcref) ref.func $f))''',
# A table imported, written by an active segment before a data segment
# that does not fit: 2.0 keeps the write and traps.
"partial": '''(module
  (import "env" "tab" (table 4 funcref))
  (memory 1)
  (func $f (result i32) i32.const 7)
  (elem (i32.const 1) func $f)
  (data (i32.const 65535) "ab"))''',
# An element segment that does not fit its own table.
"elem_oob": '''(module
  (table 2 funcref)
  (func $f)
  (elem (i32.const 1) func $f $f))''',
}
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from wat_header import write_header
write_header(mods, 'ref_modules.h', 'TESTS_VM_REF_MODULES_H',
             'tests/vm/ref_modules.h: wasm modules for the `wasm_ref` ktest suite')
