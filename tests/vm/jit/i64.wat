;; i64 ops, i32.popcnt, br_table as a jump table, call_indirect and
;; memory.size/grow: each export a function the compiler translates
;; whole (x86_translate_i64.c, x86_translate.c), for check.sh.
(module
  (memory 1 3)
  (type $ii (func (param i64) (result i64)))
  (type $i (func (param i32) (result i32)))
  (table 4 funcref)
  (elem (i32.const 0) $dbl $inc $sq)
  ;; every binary op on a and b (plain and immediate forms), folded
  (func (export "mix64") (param $a i64) (param $b i64) (result i64)
    (local $r i64)
    local.get $a local.get $b i64.add
    local.get $a local.get $b i64.sub i64.xor
    local.get $a local.get $b i64.mul i64.add
    local.get $a local.get $b i64.and i64.or
    local.get $a local.get $b i64.shl i64.xor
    local.get $a local.get $b i64.shr_s i64.add
    local.get $a local.get $b i64.shr_u i64.sub
    local.get $a local.get $b i64.rotl i64.xor
    local.get $a local.get $b i64.rotr i64.add
    local.tee $r
    local.get $a i64.const 7 i64.rotl i64.xor
    local.get $a i64.const 45 i64.rotr i64.add
    local.get $a i64.const 33 i64.shr_s i64.xor
    local.get $a i64.const 3 i64.shl i64.add
    local.get $a i64.const 63 i64.shr_u i64.xor
    local.get $a i64.const -100 i64.mul i64.xor
    local.get $a i64.const 0x7fff0001 i64.mul i64.add
    local.get $a i64.const -5 i64.add i64.xor
    local.get $a i64.const -5 i64.sub i64.add
    local.get $a i64.const -16 i64.and i64.xor
    local.get $a i64.const 0x1234 i64.or i64.add
    local.get $a i64.const -1 i64.xor i64.xor
    local.get $a i64.clz i64.add
    local.get $b i64.ctz i64.add
    local.get $a i64.popcnt i64.xor
    local.get $b i64.popcnt i64.add
    local.get $a i64.extend8_s i64.xor
    local.get $b i64.extend16_s i64.add
    local.get $a i64.extend32_s i64.xor
    local.get $a i32.wrap_i64 i32.popcnt i64.extend_i32_u i64.add)
  ;; the ten compares, plain and with an immediate, as bits of a mask
  (func (export "cmp64") (param $a i64) (param $b i64) (result i32)
    local.get $a local.get $b i64.eq
    local.get $a local.get $b i64.ne i32.const 1 i32.shl i32.or
    local.get $a local.get $b i64.lt_s i32.const 2 i32.shl i32.or
    local.get $a local.get $b i64.lt_u i32.const 3 i32.shl i32.or
    local.get $a local.get $b i64.gt_s i32.const 4 i32.shl i32.or
    local.get $a local.get $b i64.gt_u i32.const 5 i32.shl i32.or
    local.get $a local.get $b i64.le_s i32.const 6 i32.shl i32.or
    local.get $a local.get $b i64.le_u i32.const 7 i32.shl i32.or
    local.get $a local.get $b i64.ge_s i32.const 8 i32.shl i32.or
    local.get $a local.get $b i64.ge_u i32.const 9 i32.shl i32.or
    local.get $a i64.const -3 i64.lt_s i32.const 10 i32.shl i32.or
    local.get $a i64.const -3 i64.lt_u i32.const 11 i32.shl i32.or
    local.get $a i64.const 5 i64.gt_s i32.const 12 i32.shl i32.or
    local.get $a i64.const 5 i64.le_u i32.const 13 i32.shl i32.or
    local.get $a i64.const -1 i64.eq i32.const 14 i32.shl i32.or)
  ;; compares fused with br_if: count the true ones among four
  (func (export "brcmp64") (param $a i64) (param $b i64) (result i32)
    (local $n i32)
    block local.get $a local.get $b i64.lt_s br_if 0
      local.get $n i32.const 1 i32.add local.set $n end
    block local.get $a local.get $b i64.gt_u br_if 0
      local.get $n i32.const 2 i32.add local.set $n end
    block local.get $a i64.const -7 i64.ge_s br_if 0
      local.get $n i32.const 4 i32.add local.set $n end
    block local.get $a i64.const 9 i64.ne br_if 0
      local.get $n i32.const 8 i32.add local.set $n end
    local.get $n)
  (func (export "div64_s") (param i64 i64) (result i64)
    local.get 0 local.get 1 i64.div_s)
  (func (export "div64_u") (param i64 i64) (result i64)
    local.get 0 local.get 1 i64.div_u)
  (func (export "rem64_s") (param i64 i64) (result i64)
    local.get 0 local.get 1 i64.rem_s)
  (func (export "rem64_u") (param i64 i64) (result i64)
    local.get 0 local.get 1 i64.rem_u)
  ;; a 64-bit counted loop: an i64 compare-and-branch back-edge
  (func (export "loop64") (param $n i64) (result i64)
    (local $i i64) (local $s i64)
    loop
      local.get $s local.get $i i64.const 0x100000001 i64.mul i64.add
      local.set $s
      local.get $i i64.const 1 i64.add local.tee $i
      local.get $n i64.lt_u br_if 0
    end
    local.get $s)
  ;; br_table with 6 targets, forward, and as a loop's back-edge
  (func (export "jumptable") (param $x i32) (result i32)
    block block block block block block
      local.get $x
      br_table 0 1 2 3 4 5 2
    end i32.const 10 return
    end i32.const 20 return
    end i32.const 30 return
    end i32.const 40 return
    end i32.const 50 return
    end i32.const 60)
  (func (export "tableloop2") (param $n i32) (result i32)
    (local $c i32)
    block
      loop
        local.get $c i32.const 1 i32.add local.set $c
        local.get $n i32.const 1 i32.sub local.tee $n
        br_table 1 0 0 0
      end
    end
    local.get $c)
  ;; call_indirect: entries 0..2 of type $i, 3 null; $f64 of another type
  (func $dbl (type $i) local.get 0 i32.const 2 i32.mul)
  (func $inc (type $i) local.get 0 i32.const 1 i32.add)
  (func $sq (param i64) (result i64) local.get 0 local.get 0 i64.mul)
  (func (export "indirect") (param $k i32) (param $x i32) (result i32)
    local.get $x local.get $k call_indirect (type $i)
    i32.const 1000 i32.add)
  ;; memory.size and memory.grow (max 3 pages), then a store at the end
  (func (export "grow") (param $n i32) (result i32)
    (local $old i32)
    local.get $n memory.grow local.set $old
    memory.size i32.const 65536 i32.mul i32.const 4 i32.sub
    local.get $old i32.store
    memory.size i32.const 65536 i32.mul i32.const 4 i32.sub i32.load
    memory.size i32.const 16 i32.shl i32.add))
