# Regenerate mv_modules.h: python3 gen_mv_modules.py (needs wabt wat2wasm;
# 1.0.32 has multi-value, sign extension and the saturating conversions on
# by default). Modules for the `wasm_mv` suite (multivalue_test.c): the 2.0
# features sign extension, non-trapping float-to-int and multi-value.
import os, sys

# A function type with 300 results: more values than its caller's body
# has bytes (the validator's operand stack once had one entry per byte).
many = ' '.join(['i32'] * 300)

mods = {
# Sign extension, and the saturating conversions beside the trapping ones.
"signext": '''(module
  (func (export "i32.extend8_s") (param i32) (result i32) local.get 0 i32.extend8_s)
  (func (export "i32.extend16_s") (param i32) (result i32) local.get 0 i32.extend16_s)
  (func (export "i64.extend8_s") (param i64) (result i64) local.get 0 i64.extend8_s)
  (func (export "i64.extend16_s") (param i64) (result i64) local.get 0 i64.extend16_s)
  (func (export "i64.extend32_s") (param i64) (result i64) local.get 0 i64.extend32_s)
  ;; a constant operand, and a result feeding a compare-and-branch
  (func (export "k") (result i32) i32.const 0xff i32.extend8_s)
  (func (export "neg8") (param i32) (result i32)
    block local.get 0 i32.extend8_s i32.const 0 i32.lt_s br_if 0 i32.const 0 return end
    i32.const 1)
  (func (export "sat") (param f64) (result i32) local.get 0 i32.trunc_sat_f64_s))''',
# Multi-value: functions, blocks, loops, ifs with parameters and several
# results, every kind of branch carrying several values, calls.
"mv": '''(module
  (type $pair (func (result i32 i64)))
  (type $ii_ii (func (param i32 i32) (result i32 i32)))
  (type $i_i (func (param i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $swap $three)
  (func $swap (export "swap") (type $ii_ii) local.get 1 local.get 0)
  (func $three (export "three") (param i32 i32) (result i32 i32)
    local.get 0 i32.const 3 i32.add local.get 1 i32.const 3 i32.mul)
  (func (export "types") (result i32 i64 f32 f64)
    i32.const -1 i64.const -2 f32.const 1.5 f64.const -0.25)
  ;; results through a call, then combined: (a, b) -> a * 10 + b
  (func (export "call_swap") (param i32 i32) (result i32)
    local.get 0 local.get 1 call $swap i32.const 10 i32.mul i32.add)
  (func (export "call_indirect") (param i32 i32 i32) (result i32 i32)
    local.get 0 local.get 1 local.get 2 call_indirect (type $ii_ii))
  ;; a block taking two parameters, giving two results
  (func (export "block") (param i32 i32) (result i32 i32)
    local.get 0 local.get 1
    block (type $ii_ii) i32.const 1 i32.add end)
  ;; br out of a nested block with two values
  (func (export "br") (param i32) (result i32 i32)
    block (result i32 i32)
      block i32.const 7 i32.const 8 br 1 end
      i32.const 0 i32.const 0
    end)
  ;; br_if with two values, taken or not
  (func (export "br_if") (param i32) (result i32 i64)
    block (type $pair)
      i32.const 1 i64.const 2 local.get 0 br_if 0
      drop drop i32.const 3 i64.const 4
    end)
  ;; br_table with two values to three labels
  (func (export "br_table") (param i32) (result i32 i32)
    block (result i32 i32)
      block (result i32 i32)
        block (result i32 i32)
          i32.const 10 i32.const 20 local.get 0 br_table 0 1 2
        end i32.add i32.const 0 br 1
      end i32.sub i32.const 1
    end)
  ;; a loop whose two parameters carry the state (n, sum): sum n..1
  (func (export "loop") (param i32) (result i32) (local i32)
    local.get 0 i32.const 0
    loop (type $ii_ii)
      local.set 1 local.tee 0 local.get 1 i32.add
      local.set 1 local.get 0 i32.const 1 i32.sub local.tee 0
      local.get 1 local.get 0 br_if 0
    end
    i32.add)
  ;; if with a parameter, both arms
  (func (export "if") (param i32 i32) (result i32)
    local.get 0 local.get 1
    if (type $i_i) i32.const 100 i32.add else i32.const 200 i32.sub end)
  ;; if with a parameter and no else: it passes through
  (func (export "if_noelse") (param i32 i32) (result i32)
    local.get 0 local.get 1
    if (type $i_i) i32.const 5 i32.mul end)
  ;; return with several values from inside blocks; swapped locals
  (func (export "return") (param i32 i32) (result i32 i32)
    block block local.get 1 local.get 0 return end end
    unreachable)
  ;; the same value twice, and a constant between
  (func (export "dup") (param i32) (result i32 i32 i32)
    local.get 0 i32.const 9 local.get 0)
  ;; 300 results through a three-byte body
  (func $many (result ''' + many + ''') ''' + ' '.join(['i32.const %d' % i for i in range(300)]) + ''')
  (func (export "many") (result ''' + many + ''') call $many)
  (func (export "many_sum") (result i32)
    call $many ''' + ' '.join(['i32.add'] * 299) + '''))''',
# A host function with two results, imported and re-exported.
"host_mv": '''(module
  (import "env" "divmod" (func $dm (param i32 i32) (result i32 i32)))
  (export "divmod" (func $dm))
  (func (export "use") (param i32 i32) (result i32)
    local.get 0 local.get 1 call $dm i32.const 1000 i32.mul i32.add))''',
}
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from wat_header import write_header
write_header(mods, 'mv_modules.h', 'TESTS_VM_MV_MODULES_H',
             'tests/vm/mv_modules.h: wasm modules for the `wasm_mv` ktest suite')
