;; f32/f64 ops (vm/jit/x86/x86_translate_float.c): each export one
;; function the compiler translates whole, on edge values (check.sh):
;; NaN, -0, infinities, subnormals, halves for the roundings.
(module
  ;; every f64 op on a and b, their bits folded into one i64 (rotated
  ;; apart, so that two wrong results cannot cancel out)
  (func (export "f64ops") (param $a f64) (param $b f64) (result i64)
    local.get $a local.get $b f64.add i64.reinterpret_f64
    local.get $a local.get $b f64.sub i64.reinterpret_f64 i64.const 3 i64.rotl i64.xor
    local.get $a local.get $b f64.mul i64.reinterpret_f64 i64.const 5 i64.rotl i64.xor
    local.get $a local.get $b f64.div i64.reinterpret_f64 i64.const 7 i64.rotl i64.xor
    local.get $a local.get $b f64.min i64.reinterpret_f64 i64.const 11 i64.rotl i64.xor
    local.get $a local.get $b f64.max i64.reinterpret_f64 i64.const 13 i64.rotl i64.xor
    local.get $a local.get $b f64.copysign i64.reinterpret_f64 i64.const 17 i64.rotl i64.xor
    local.get $a f64.abs i64.reinterpret_f64 i64.const 19 i64.rotl i64.xor
    local.get $a f64.neg i64.reinterpret_f64 i64.const 23 i64.rotl i64.xor
    local.get $a f64.sqrt i64.reinterpret_f64 i64.const 29 i64.rotl i64.xor
    local.get $a f64.ceil i64.reinterpret_f64 i64.const 31 i64.rotl i64.xor
    local.get $a f64.floor i64.reinterpret_f64 i64.const 37 i64.rotl i64.xor
    local.get $a f64.trunc i64.reinterpret_f64 i64.const 41 i64.rotl i64.xor
    local.get $a f64.nearest i64.reinterpret_f64 i64.const 43 i64.rotl i64.xor
    local.get $a f32.demote_f64 i32.reinterpret_f32 i64.extend_i32_u i64.const 47 i64.rotl i64.xor)
  (func (export "f32ops") (param $a f32) (param $b f32) (result i64)
    local.get $a local.get $b f32.add i32.reinterpret_f32 i64.extend_i32_u
    local.get $a local.get $b f32.sub i32.reinterpret_f32 i64.extend_i32_u i64.const 3 i64.rotl i64.xor
    local.get $a local.get $b f32.mul i32.reinterpret_f32 i64.extend_i32_u i64.const 5 i64.rotl i64.xor
    local.get $a local.get $b f32.div i32.reinterpret_f32 i64.extend_i32_u i64.const 7 i64.rotl i64.xor
    local.get $a local.get $b f32.min i32.reinterpret_f32 i64.extend_i32_u i64.const 11 i64.rotl i64.xor
    local.get $a local.get $b f32.max i32.reinterpret_f32 i64.extend_i32_u i64.const 13 i64.rotl i64.xor
    local.get $a local.get $b f32.copysign i32.reinterpret_f32 i64.extend_i32_u i64.const 17 i64.rotl i64.xor
    local.get $a f32.abs i32.reinterpret_f32 i64.extend_i32_u i64.const 19 i64.rotl i64.xor
    local.get $a f32.neg i32.reinterpret_f32 i64.extend_i32_u i64.const 23 i64.rotl i64.xor
    local.get $a f32.sqrt i32.reinterpret_f32 i64.extend_i32_u i64.const 29 i64.rotl i64.xor
    local.get $a f32.ceil i32.reinterpret_f32 i64.extend_i32_u i64.const 31 i64.rotl i64.xor
    local.get $a f32.floor i32.reinterpret_f32 i64.extend_i32_u i64.const 37 i64.rotl i64.xor
    local.get $a f32.trunc i32.reinterpret_f32 i64.extend_i32_u i64.const 41 i64.rotl i64.xor
    local.get $a f32.nearest i32.reinterpret_f32 i64.extend_i32_u i64.const 43 i64.rotl i64.xor
    local.get $a f64.promote_f32 i64.reinterpret_f64 i64.const 47 i64.rotl i64.xor)
  ;; the twelve compares as bits of a mask
  (func (export "fcmp") (param $a f64) (param $b f64) (result i32)
    local.get $a local.get $b f64.eq
    local.get $a local.get $b f64.ne i32.const 1 i32.shl i32.or
    local.get $a local.get $b f64.lt i32.const 2 i32.shl i32.or
    local.get $a local.get $b f64.gt i32.const 3 i32.shl i32.or
    local.get $a local.get $b f64.le i32.const 4 i32.shl i32.or
    local.get $a local.get $b f64.ge i32.const 5 i32.shl i32.or
    local.get $a f32.demote_f64 local.get $b f32.demote_f64 f32.eq i32.const 6 i32.shl i32.or
    local.get $a f32.demote_f64 local.get $b f32.demote_f64 f32.ne i32.const 7 i32.shl i32.or
    local.get $a f32.demote_f64 local.get $b f32.demote_f64 f32.lt i32.const 8 i32.shl i32.or
    local.get $a f32.demote_f64 local.get $b f32.demote_f64 f32.gt i32.const 9 i32.shl i32.or
    local.get $a f32.demote_f64 local.get $b f32.demote_f64 f32.le i32.const 10 i32.shl i32.or
    local.get $a f32.demote_f64 local.get $b f32.demote_f64 f32.ge i32.const 11 i32.shl i32.or)
  ;; integer to float conversions of a (every source width and sign)
  (func (export "conv") (param $a i64) (result i64)
    local.get $a f64.convert_i64_s i64.reinterpret_f64
    local.get $a f64.convert_i64_u i64.reinterpret_f64 i64.const 3 i64.rotl i64.xor
    local.get $a f32.convert_i64_s i32.reinterpret_f32 i64.extend_i32_u i64.const 5 i64.rotl i64.xor
    local.get $a f32.convert_i64_u i32.reinterpret_f32 i64.extend_i32_u i64.const 7 i64.rotl i64.xor
    local.get $a i32.wrap_i64 f64.convert_i32_s i64.reinterpret_f64 i64.const 11 i64.rotl i64.xor
    local.get $a i32.wrap_i64 f64.convert_i32_u i64.reinterpret_f64 i64.const 13 i64.rotl i64.xor
    local.get $a i32.wrap_i64 f32.convert_i32_s i32.reinterpret_f32 i64.extend_i32_u i64.const 17 i64.rotl i64.xor
    local.get $a i32.wrap_i64 f32.convert_i32_u i32.reinterpret_f32 i64.extend_i32_u i64.const 19 i64.rotl i64.xor
    local.get $a f64.reinterpret_i64 f64.abs i64.reinterpret_f64 i64.const 23 i64.rotl i64.xor
    local.get $a i32.wrap_i64 f32.reinterpret_i32 f32.neg i32.reinterpret_f32 i64.extend_i32_u i64.const 29 i64.rotl i64.xor)
  ;; a float loop: sum of 1/i for i = 1..n
  (func (export "harmonic") (param $n i32) (result f64)
    (local $i i32) (local $s f64)
    block
      local.get $n i32.eqz br_if 0
      loop
        local.get $i i32.const 1 i32.add local.set $i
        local.get $s f64.const 1 local.get $i f64.convert_i32_s f64.div
        f64.add local.set $s
        local.get $i local.get $n i32.lt_u br_if 0
      end
    end
    local.get $s)
  ;; the trapping conversions to integers, each alone (its trap)
  (func (export "t32s_64") (param f64) (result i32) local.get 0 i32.trunc_f64_s)
  (func (export "t32u_64") (param f64) (result i32) local.get 0 i32.trunc_f64_u)
  (func (export "t64s_64") (param f64) (result i64) local.get 0 i64.trunc_f64_s)
  (func (export "t64u_64") (param f64) (result i64) local.get 0 i64.trunc_f64_u)
  (func (export "t32s_32") (param f32) (result i32) local.get 0 i32.trunc_f32_s)
  (func (export "t32u_32") (param f32) (result i32) local.get 0 i32.trunc_f32_u)
  (func (export "t64s_32") (param f32) (result i64) local.get 0 i64.trunc_f32_s)
  (func (export "t64u_32") (param f32) (result i64) local.get 0 i64.trunc_f32_u))
