;; i32 ops the compiler translates (vm/jit/x86/x86_translate.c), each
;; export a leaf function, for the differential check (check.sh).
(module
  (memory 1)
  ;; sum of 0..n-1 with a counted loop: add-and-branch fusion, back-edge
  (func (export "sum") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    block
      local.get $n
      i32.eqz
      br_if 0
      loop
        local.get $s local.get $i i32.add local.set $s
        local.get $i i32.const 1 i32.add local.tee $i
        local.get $n i32.lt_u
        br_if 0
      end
    end
    local.get $s)
  ;; sum through a call: compiled code calling compiled code
  (func $sum_fn (param i32) (result i32)
    local.get 0 call 0)
  (func (export "nest") (param i32) (result i32)
    local.get 0 call $sum_fn i32.const 1 i32.add)
  ;; every binary op on a and b, folded into one value
  (func (export "mix") (param $a i32) (param $b i32) (result i32)
    (local $r i32)
    local.get $a local.get $b i32.add
    local.get $a local.get $b i32.sub i32.xor
    local.get $a local.get $b i32.mul i32.add
    local.get $a local.get $b i32.and i32.or
    local.get $a local.get $b i32.shl i32.xor
    local.get $a local.get $b i32.shr_s i32.add
    local.get $a local.get $b i32.shr_u i32.sub
    local.get $a local.get $b i32.rotl i32.xor
    local.get $a local.get $b i32.rotr i32.add
    local.get $a i32.const 7 i32.rotl i32.xor
    local.get $a i32.const 3 i32.shr_s i32.add
    local.get $a i32.const -100 i32.mul i32.xor
    local.tee $r
    local.get $a i32.clz i32.add
    local.get $b i32.ctz i32.add
    local.get $a i32.eqz i32.add
    local.get $a i32.extend8_s i32.xor
    local.get $b i32.extend16_s i32.add
    local.get $a local.get $b i32.lt_s i32.add
    local.get $a local.get $b i32.lt_u i32.add
    local.get $a local.get $b i32.ge_s i32.add
    local.get $a local.get $b i32.gt_u i32.add
    local.get $a i32.const 5 i32.le_s i32.add
    local.get $a local.get $b local.get $r select i32.add
    local.get $a i64.extend_i32_s i32.wrap_i64 i32.add
    local.get $b i64.extend_i32_u i64.eqz i32.add)
  (func (export "div_s") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.div_s)
  (func (export "div_u") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.div_u)
  (func (export "rem_s") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.rem_s)
  (func (export "rem_u") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.rem_u)
  ;; store v at a (every width), read it back in every width, folded
  (func (export "mem") (param $a i32) (param $v i32) (result i32)
    local.get $a local.get $v i32.store offset=4
    local.get $a i32.load offset=4
    local.get $a i32.load8_s offset=5 i32.add
    local.get $a i32.load8_u offset=6 i32.add
    local.get $a i32.load16_s offset=4 i32.add
    local.get $a i32.load16_u offset=6 i32.add
    local.get $a local.get $v i32.store8 offset=1
    local.get $a local.get $v i32.store16 offset=2
    local.get $a i32.load i32.add)
  ;; a word load at a + 65535 - n: out of bounds for n < 3
  (func (export "edge") (param $n i32) (result i32)
    i32.const 65532 local.get $n i32.sub i32.load offset=3)
  ;; br_table forward (a switch) and backward (a loop's back-edge)
  (func (export "switch") (param $x i32) (result i32)
    block block block block
      local.get $x
      br_table 0 1 2 3
    end i32.const 10 return
    end i32.const 20 return
    end i32.const 30 return
    end i32.const 40)
  (func (export "tableloop") (param $n i32) (result i32)
    (local $c i32)
    block
      loop
        local.get $c i32.const 1 i32.add local.set $c
        local.get $n i32.const 1 i32.sub local.tee $n
        i32.const 0 i32.ne
        br_table 1 0
      end
    end
    local.get $c)
  (func (export "unreachable") (result i32)
    unreachable))
