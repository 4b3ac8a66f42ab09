# Regenerate wasm_modules.h: python3 gen_modules.py (needs wabt wat2wasm).
import os
mods = {
"add": '(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))',
"div": '(module (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s))',
"unreach": '(module (func (export "f") unreachable))',
"recurse": '(module (func $f (export "f") (param i32) (result i32) local.get 0 call $f))',
"memoob": '(module (memory 1) (func (export "f") (param i32) (result i32) local.get 0 i32.load))',
"indirect": '''(module (type $v (func)) (type $i (func (result i32)))
  (table 2 funcref) (elem (i32.const 0) $g)
  (func $g (result i32) i32.const 7)
  (func (export "call") (param i32) (result i32) local.get 0 call_indirect (type $i))
  (func (export "callv") (param i32) local.get 0 call_indirect (type $v)))''',
"loop": '''(module (func (export "count") (param i32) (result i32) (local i32)
  block loop local.get 0 i32.eqz br_if 1
    local.get 0 i32.const 1 i32.sub local.set 0
    local.get 1 i32.const 3 i32.add local.set 1 br 0 end end local.get 1))''',
"hostimp": '''(module (import "env" "add1" (func $a (param i32) (result i32)))
  (func (export "f") (param i32) (result i32) local.get 0 call $a i32.const 2 i32.mul))''',
"dataoob": '''(module (import "env" "mem" (memory 1)) (data (i32.const 0) "ab") (data (i32.const 65535) "xy"))''',
"badtype": '(module (func (result i32)))',
"badlocal": '(module (func local.get 3 drop))',
"badalign": '(module (memory 1) (func (result i32) i32.const 0 i32.load align=8))',
"wasi": '''(module (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $x (param i32)))
  (import "wasi_snapshot_preview1" "sock_shutdown" (func $r (param i32 i32) (result i32)))
  (memory (export "memory") 1) (data (i32.const 16) "hi\\n")
  (func (export "write") (result i32) i32.const 0 i32.const 16 i32.store i32.const 4 i32.const 3 i32.store
    i32.const 1 i32.const 0 i32.const 1 i32.const 8 call $w)
  (func (export "badptr") (result i32) i32.const 1 i32.const 65534 i32.const 1 i32.const 8 call $w)
  (func (export "nosys") (result i32) i32.const 1 i32.const 2 call $r)
  (func (export "exit") i32.const 7 call $x unreachable))''',
"brtable": '''(module (func (export "f") (param i32) (result i32)
  block block block local.get 0 br_table 0 1 2 end i32.const 10 return end i32.const 20 return end i32.const 30))''',
"float": '''(module (func (export "nearest") (param f64) (result f64) local.get 0 f64.nearest)
  (func (export "sqrt") (param f32) (result f32) local.get 0 f32.sqrt)
  (func (export "trunc") (param f64) (result i32) local.get 0 i32.trunc_f64_s))''',
"unknownimp": '(module (import "env" "nope" (func)))',
"wasifile": '''(module
  (import "wasi_snapshot_preview1" "path_open" (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $close (param i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "hello.txt") (data (i32.const 120) "nope.txt")
  ;; open hello.txt, read into 200.., return errno*1000 + bytes read
  (func (export "cat") (result i32) (local i32)
    i32.const 3 i32.const 0 i32.const 100 i32.const 9 i32.const 0 i64.const 2 i64.const 0 i32.const 0 i32.const 16
    call $open local.tee 0 if local.get 0 i32.const 1000 i32.mul return end
    i32.const 0 i32.const 200 i32.store i32.const 4 i32.const 64 i32.store
    i32.const 16 i32.load i32.const 0 i32.const 1 i32.const 8 call $read drop
    i32.const 16 i32.load call $close drop
    i32.const 8 i32.load)
  (func (export "missing") (result i32)
    i32.const 3 i32.const 0 i32.const 120 i32.const 8 i32.const 0 i64.const 0 i64.const 0 i32.const 0 i32.const 16
    call $open))''',
"membounds": '''(module (memory 1)
  (func (export "ld") (param i32) (result i32) local.get 0 i32.load)
  (func (export "ldhi") (param i32) (result i32) local.get 0 i32.load offset=4294967295)
  (func (export "ld8") (param i32) (result i32) local.get 0 i32.load8_u offset=65535)
  (func (export "ldadd") (param i32) (result i32) local.get 0 i32.const 16 i32.add i32.load offset=65500))''',
"poll": '''(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $p (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; n subscriptions at 0 (48 bytes each), events at 1024, count at 2048
  (func (export "poll") (param i32) (result i32)
    i32.const 0 i32.const 1024 local.get 0 i32.const 2048 call $p))''',
}
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from wat_header import write_header
write_header(mods, 'wasm_modules.h', 'TESTS_VM_WASM_MODULES_H',
             'tests/vm/wasm_modules.h: small wasm modules for the `wasm` ktest suite')
