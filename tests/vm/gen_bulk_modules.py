# Regenerate bulk_modules.h: python3 gen_bulk_modules.py (needs wabt
# wat2wasm; 1.0.32 has bulk memory and the saturating conversions on by
# default and no --enable-bulk-memory flag). Modules for the `wasm_bulk` suite (bulk_test.c); the malformed
# ones that wat2wasm cannot write are bytes in bulk_test.c itself.
import os, sys
mods = {
# segments: 0 passive "hello", 1 active "AB" at 100, 2 passive "xyz"
"bulk": '''(module (memory (export "mem") 1)
  (data $p "hello") (data $a (i32.const 100) "AB") (data $q "xyz")
  (func (export "fill") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.fill)
  (func (export "copy") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.copy)
  (func (export "init") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.init $p)
  (func (export "init_active") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.init $a)
  (func (export "drop") data.drop $p)
  (func (export "drop_active") data.drop $a)
  ;; constant operands (materialized), a value wider than a byte
  (func (export "fill_k") i32.const 300 i32.const 0x1c3 i32.const 4 memory.fill)
  ;; after return: the compiler must skip every 0xfc immediate
  (func (export "dead") (result i32) i32.const 7 return
    i32.const 0 i32.const 0 i32.const 0 memory.init $q data.drop $q
    memory.copy memory.fill i32.trunc_sat_f32_s))''',
"sat": '''(module
  (func (export "i32_f32_s") (param f32) (result i32) local.get 0 i32.trunc_sat_f32_s)
  (func (export "i32_f32_u") (param f32) (result i32) local.get 0 i32.trunc_sat_f32_u)
  (func (export "i32_f64_s") (param f64) (result i32) local.get 0 i32.trunc_sat_f64_s)
  (func (export "i32_f64_u") (param f64) (result i32) local.get 0 i32.trunc_sat_f64_u)
  (func (export "i64_f32_s") (param f32) (result i64) local.get 0 i64.trunc_sat_f32_s)
  (func (export "i64_f32_u") (param f32) (result i64) local.get 0 i64.trunc_sat_f32_u)
  (func (export "i64_f64_s") (param f64) (result i64) local.get 0 i64.trunc_sat_f64_s)
  (func (export "i64_f64_u") (param f64) (result i64) local.get 0 i64.trunc_sat_f64_u))''',
"fill_nomem": '(module (func i32.const 0 i32.const 0 i32.const 0 memory.fill))',
"copy_i64": '(module (memory 1) (func i32.const 0 i32.const 0 i64.const 0 memory.copy))',
"init_unknown": '(module (memory 1) (data "a") (func i32.const 0 i32.const 0 i32.const 0 memory.init 1))',
"drop_unknown": '(module (memory 1) (data "a") (func data.drop 1))',
}
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from wat_header import write_header
write_header(mods, 'bulk_modules.h', 'TESTS_VM_BULK_MODULES_H',
             'tests/vm/bulk_modules.h: wasm modules for the `wasm_bulk` ktest suite')
