;; The atomics on a shared memory (vm/jit/jit_bulk.c), for check.sh:
;; waits that find another value (1) or time out (2), an untimed wait
;; nothing could end (wasmrun traps it), notify, and an atomic access
;; past the size before a grow in the same function (the compiled code
;; reloads the memory's base and size after grows and atomics).
(module
  (memory 1 3 shared)
  (data (i32.const 16) "\07\00\00\00\00\00\00\00")
  (func (export "wait32") (param $a i32) (param $x i32) (param $t i64)
    (result i32)
    local.get $a local.get $x local.get $t memory.atomic.wait32
    local.get $a i32.atomic.load i32.const 4 i32.shl i32.xor)
  (func (export "wait64") (param $a i32) (param $x i64) (param $t i64)
    (result i32)
    local.get $a local.get $x local.get $t memory.atomic.wait64)
  (func (export "notify") (param $a i32) (param $n i32) (result i32)
    local.get $a local.get $n memory.atomic.notify
    atomic.fence)
  ;; grow by $g pages, then an atomic rmw and load at $a
  (func (export "grow") (param $g i32) (param $a i32) (result i64)
    local.get $g memory.grow i64.extend_i32_s i64.const 32 i64.shl
    local.get $a i32.const 5 i32.atomic.rmw.add i64.extend_i32_u i64.xor
    local.get $a i64.atomic.load i64.const 7 i64.rotl i64.xor
    local.get $a i32.load i64.extend_i32_u i64.xor)
)
