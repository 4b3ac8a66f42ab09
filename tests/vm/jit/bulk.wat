;; The ops compiled code runs through the interpreter's handlers
;; (vm/jit/jit_bulk.c): trunc_sat, memory.fill/copy/init, data.drop, the
;; table and reference ops, the atomics on an unshared memory (wait
;; traps there) and atomic.fence, each with its traps, for check.sh. A
;; function reads its results back with the ops the backends translate
;; inline, so the slots the helpers write are checked as well.
(module
  (memory 1 2)
  (data (i32.const 0) "\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10")
  (data (i32.const 65520) "\f0\f1\f2\f3\f4\f5\f6\f7\f8\f9\fa\fb\fc\fd\fe\ff")
  (data $p "passive segment!")
  (table $t 4 10 funcref)
  (table $u 3 externref)
  (elem (table $t) (i32.const 0) func $f1 $f2)
  (elem $e func $f3 $f1 $f2 $f3)
  (elem declare func $f4)
  (func $f1 (result i32) i32.const 1)
  (func $f2 (result i32) i32.const 2)
  (func $f3 (result i32) i32.const 3)
  (func $f4 (result i32) i32.const 4)

  ;; a weighted sum of the bytes [p, p + n): what the memory holds
  (func $sum (param $p i32) (param $n i32) (result i64)
    (local $r i64)
    block $out
      loop $l
        local.get $n i32.eqz br_if $out
        local.get $r i64.const 31 i64.mul
        local.get $p i64.load8_u i64.add
        local.set $r
        local.get $p i32.const 1 i32.add local.set $p
        local.get $n i32.const 1 i32.sub local.set $n
        br $l
      end
    end
    local.get $r)
  ;; both ends of the memory, and the middle
  (func $check (result i64)
    i32.const 0 i32.const 48 call $sum
    i32.const 65488 i32.const 48 call $sum i64.const 7 i64.rotl i64.xor
    i32.const 32760 i32.const 16 call $sum i64.const 13 i64.rotl i64.xor)

  (func (export "fill") (param $d i32) (param $v i32) (param $n i32)
    (result i64)
    call $check drop
    local.get $d local.get $v local.get $n memory.fill
    call $check)
  (func (export "copy") (param $d i32) (param $s i32) (param $n i32)
    (result i64)
    call $check drop
    local.get $d local.get $s local.get $n memory.copy
    call $check)
  ;; memory.init from the passive segment, dropped first when $drop
  (func (export "init") (param $drop i32) (param $d i32) (param $s i32)
    (param $n i32) (result i64)
    call $check drop
    local.get $drop if data.drop $p end
    local.get $d local.get $s local.get $n memory.init $p
    ;; a second time: the segment is still there (or still dropped)
    local.get $d i32.const 20 i32.add local.get $s local.get $n
    memory.init $p
    call $check)
  ;; a dropped segment reads as empty: 0 bytes from offset 0 is fine
  (func (export "dropinit") (param $n i32) (result i64)
    call $check drop
    data.drop $p
    data.drop $p
    i32.const 100 i32.const 0 local.get $n memory.init $p
    call $check)

  ;; all eight saturating conversions of x (and x as f32), mixed
  (func (export "sat") (param $x f64) (result i64)
    (local $f f32) (local $r i64)
    local.get $x f32.demote_f64 local.set $f
    local.get $x i32.trunc_sat_f64_s i64.extend_i32_u
    local.get $x i32.trunc_sat_f64_u i64.extend_i32_u i64.const 32 i64.shl
    i64.xor
    local.get $x i64.trunc_sat_f64_s i64.const 3 i64.rotl i64.xor
    local.get $x i64.trunc_sat_f64_u i64.const 5 i64.rotl i64.add
    local.get $f i32.trunc_sat_f32_s i64.extend_i32_s i64.const 7 i64.rotl
    i64.xor
    local.get $f i32.trunc_sat_f32_u i64.extend_i32_u i64.const 11 i64.rotl
    i64.add
    local.get $f i64.trunc_sat_f32_s i64.const 13 i64.rotl i64.xor
    local.get $f i64.trunc_sat_f32_u i64.const 17 i64.rotl i64.add)

  ;; table $t as a number: which entries are null (ref.is_null of
  ;; table.get), then its size
  (func $tsum (result i64)
    (local $i i32) (local $r i64)
    block $out
      loop $l
        local.get $i table.size $t i32.ge_u br_if $out
        local.get $r i64.const 3 i64.mul
        local.get $i table.get $t ref.is_null i32.eqz i64.extend_i32_u
        i64.add local.set $r
        local.get $i i32.const 1 i32.add local.set $i
        br $l
      end
    end
    local.get $r i64.const 8 i64.shl table.size $t i64.extend_i32_u i64.or)
  (func (export "tget") (param $i i32) (result i32)
    local.get $i table.get $t ref.is_null)
  (func (export "tset") (param $i i32) (param $null i32) (result i64)
    local.get $i
    local.get $null if (result funcref) ref.null func else ref.func $f4 end
    table.set $t
    call $tsum)
  (func (export "tgrow") (param $n i32) (result i64)
    ref.func $f2 local.get $n table.grow $t i64.extend_i32_s
    i64.const 32 i64.shl
    ref.null func i32.const 1 table.grow $t i64.extend_i32_u i64.const 16 i64.shl
    i64.xor
    call $tsum i64.xor)
  (func (export "tfill") (param $i i32) (param $n i32) (param $null i32)
    (result i64)
    ref.null func i32.const 6 table.grow $t drop
    local.get $i
    local.get $null if (result funcref) ref.null func else ref.func $f3 end
    local.get $n table.fill $t
    call $tsum)
  (func (export "tcopy") (param $d i32) (param $s i32) (param $n i32)
    (result i64)
    local.get $d local.get $s local.get $n table.copy $t $t
    call $tsum)
  (func (export "tinit") (param $drop i32) (param $d i32) (param $s i32)
    (param $n i32) (result i64)
    local.get $drop if elem.drop $e end
    local.get $d local.get $s local.get $n table.init $t $e
    call $tsum)
  ;; an externref table: size, grow past nothing, fill with null, get
  (func (export "extern") (param $n i32) (result i32)
    ref.null extern local.get $n table.grow $u
    table.size $u i32.const 8 i32.shl i32.xor
    i32.const 0 ref.null extern local.get $n table.fill $u
    local.get $n table.get $u ref.is_null i32.const 16 i32.shl i32.xor)

  ;; the atomics on this unshared memory: every width of load, store,
  ;; rmw and cmpxchg at address a (misaligned or out of bounds: traps),
  ;; then notify (0 waiters) and fence
  (func (export "atomics") (param $a i32) (param $v i64) (result i64)
    (local $r i64)
    local.get $a local.get $v i64.atomic.store
    local.get $a i64.atomic.load local.set $r
    local.get $a local.get $v i64.const 5 i64.mul i64.atomic.rmw.add
    local.get $r i64.xor local.set $r
    local.get $a local.get $v i64.atomic.rmw.sub local.get $r i64.add
    local.set $r
    local.get $a local.get $v i64.atomic.rmw.and local.get $r i64.xor
    local.set $r
    local.get $a local.get $v i64.atomic.rmw.or local.get $r i64.add
    local.set $r
    local.get $a local.get $v i64.atomic.rmw.xor local.get $r i64.xor
    local.set $r
    local.get $a local.get $v i64.atomic.rmw.xchg local.get $r i64.add
    local.set $r
    local.get $a local.get $v local.get $r i64.atomic.rmw.cmpxchg
    local.get $r i64.xor local.set $r
    local.get $a local.get $r local.get $v i64.atomic.rmw.cmpxchg
    local.get $r i64.add local.set $r
    local.get $a i32.atomic.load i64.extend_i32_u local.get $r i64.xor
    local.set $r
    local.get $a local.get $v i32.wrap_i64 i32.atomic.rmw.add
    i64.extend_i32_u local.get $r i64.add local.set $r
    local.get $a local.get $v i32.wrap_i64 i32.const 77
    i32.atomic.rmw.cmpxchg i64.extend_i32_u local.get $r i64.xor
    local.set $r
    local.get $a local.get $v i32.wrap_i64 i32.atomic.rmw16.sub_u
    i64.extend_i32_u local.get $r i64.add local.set $r
    local.get $a local.get $v i32.wrap_i64 i32.atomic.rmw8.xchg_u
    i64.extend_i32_u local.get $r i64.xor local.set $r
    local.get $a local.get $v i64.atomic.rmw32.or_u local.get $r i64.add
    local.set $r
    local.get $a local.get $v i64.atomic.rmw16.xor_u local.get $r i64.xor
    local.set $r
    local.get $a local.get $v i64.atomic.rmw8.and_u local.get $r i64.add
    local.set $r
    local.get $a i64.const 9 i64.const 200 i64.atomic.rmw8.cmpxchg_u
    local.get $r i64.xor local.set $r
    local.get $a i32.atomic.load8_u i64.extend_i32_u local.get $r i64.add
    local.set $r
    local.get $a i32.atomic.load16_u i64.extend_i32_u local.get $r i64.xor
    local.set $r
    local.get $a i64.atomic.load32_u local.get $r i64.add local.set $r
    local.get $a local.get $v i32.wrap_i64 i32.atomic.store16
    local.get $a local.get $v i64.atomic.store8
    local.get $a i64.atomic.load local.get $r i64.xor local.set $r
    local.get $a i32.const 3 memory.atomic.notify i64.extend_i32_u
    local.get $r i64.add local.set $r
    atomic.fence
    local.get $r
    call $check i64.xor)
  ;; waits on an unshared memory trap (after the bounds and alignment
  ;; checks, as the interpreter orders them)
  (func (export "wait32") (param $a i32) (result i32)
    local.get $a i32.const 0 i64.const 0 memory.atomic.wait32)
  (func (export "wait64") (param $a i32) (result i32)
    local.get $a i64.const 0 i64.const -1 memory.atomic.wait64)
)
