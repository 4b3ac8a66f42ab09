;; Immediate folding (the ARMv7-A backend's arm_translate_imm.c): ops
;; whose second operand is a constant, each constant chosen at an edge of
;; a folding rule (a power of two, 2^n + 1, 2^n - 1, a modified immediate
;; and its negation, one that does not encode, a negative one whose high
;; word is all ones), every result folded into one i64 sum, as the
;; interpreter computes it.
(module
  ;; i32.mul by constants: 0, 1, 2^n, 2^n + 1, 2^n - 1, and ones that
  ;; are none of those
  (func (export "mul32") (param $a i32) (result i64)
    (local $s i64)
    local.get $a i32.const 0 i32.mul i64.extend_i32_u local.get $s i64.add local.set $s
    local.get $a i32.const 1 i32.mul i64.extend_i32_u local.get $s i64.xor local.set $s
    local.get $a i32.const 8 i32.mul i64.extend_i32_u local.get $s i64.add local.set $s
    local.get $a i32.const 9 i32.mul i64.extend_i32_u local.get $s i64.xor local.set $s
    local.get $a i32.const 7 i32.mul i64.extend_i32_u local.get $s i64.add local.set $s
    local.get $a i32.const 0x80000000 i32.mul i64.extend_i32_u local.get $s i64.xor local.set $s
    local.get $a i32.const 0x80000001 i32.mul i64.extend_i32_u local.get $s i64.add local.set $s
    local.get $a i32.const 0x7fffffff i32.mul i64.extend_i32_u local.get $s i64.xor local.set $s
    local.get $a i32.const -1 i32.mul i64.extend_i32_u local.get $s i64.add local.set $s
    local.get $a i32.const 3 i32.mul i64.extend_i32_u local.get $s i64.xor local.set $s
    local.get $a i32.const 100 i32.mul i64.extend_i32_u local.get $s i64.add local.set $s
    local.get $s)
  ;; i64 add, sub, and, or, xor with constants: encodable, negated
  ;; encodable, not encodable, negative
  (func (export "bin64") (param $a i64) (result i64)
    (local $s i64)
    local.get $a i64.const 1 i64.add local.set $s
    local.get $a i64.const -1 i64.add local.get $s i64.xor local.set $s
    local.get $a i64.const 0xff000000 i64.add local.get $s i64.xor local.set $s
    local.get $a i64.const -256 i64.add local.get $s i64.xor local.set $s
    local.get $a i64.const 0x12345 i64.add local.get $s i64.xor local.set $s
    local.get $a i64.const 1 i64.sub local.get $s i64.xor local.set $s
    local.get $a i64.const -1 i64.sub local.get $s i64.xor local.set $s
    local.get $a i64.const 0x80000000 i64.sub local.get $s i64.xor local.set $s
    local.get $a i64.const -0x80000000 i64.sub local.get $s i64.xor local.set $s
    local.get $a i64.const -0x80000000 i64.add local.get $s i64.xor local.set $s
    local.get $a i64.const 0x12345 i64.sub local.get $s i64.xor local.set $s
    local.get $a i64.const 0xff i64.and local.get $s i64.add local.set $s
    local.get $a i64.const -16 i64.and local.get $s i64.add local.set $s
    local.get $a i64.const 0x12345 i64.and local.get $s i64.add local.set $s
    local.get $a i64.const 0xf0 i64.or local.get $s i64.add local.set $s
    local.get $a i64.const -4 i64.or local.get $s i64.add local.set $s
    local.get $a i64.const 0xff0 i64.xor local.get $s i64.add local.set $s
    local.get $a i64.const -2 i64.xor local.get $s i64.add local.set $s
    local.get $s)
  ;; the ten i64 compares with constants 0, 255, 0xff000000 (its high
  ;; word 0), -1 and -256 (high word all ones: folded for eq/ne only),
  ;; 0x12345 (not encodable): a bit of the result for each compare
  (func (export "cmp64k") (param $a i64) (result i64)
    (local $s i64)
    ;; k = 0
    local.get $a i64.const 0 i64.eq i64.extend_i32_u
    local.get $a i64.const 0 i64.ne i64.extend_i32_u i64.const 1 i64.shl i64.or
    local.get $a i64.const 0 i64.lt_s i64.extend_i32_u i64.const 2 i64.shl i64.or
    local.get $a i64.const 0 i64.lt_u i64.extend_i32_u i64.const 3 i64.shl i64.or
    local.get $a i64.const 0 i64.gt_s i64.extend_i32_u i64.const 4 i64.shl i64.or
    local.get $a i64.const 0 i64.gt_u i64.extend_i32_u i64.const 5 i64.shl i64.or
    local.get $a i64.const 0 i64.le_s i64.extend_i32_u i64.const 6 i64.shl i64.or
    local.get $a i64.const 0 i64.le_u i64.extend_i32_u i64.const 7 i64.shl i64.or
    local.get $a i64.const 0 i64.ge_s i64.extend_i32_u i64.const 8 i64.shl i64.or
    local.get $a i64.const 0 i64.ge_u i64.extend_i32_u i64.const 9 i64.shl i64.or
    local.set $s
    ;; k = 255
    local.get $a i64.const 255 i64.eq i64.extend_i32_u
    local.get $a i64.const 255 i64.ne i64.extend_i32_u i64.const 1 i64.shl i64.or
    local.get $a i64.const 255 i64.lt_s i64.extend_i32_u i64.const 2 i64.shl i64.or
    local.get $a i64.const 255 i64.lt_u i64.extend_i32_u i64.const 3 i64.shl i64.or
    local.get $a i64.const 255 i64.gt_s i64.extend_i32_u i64.const 4 i64.shl i64.or
    local.get $a i64.const 255 i64.gt_u i64.extend_i32_u i64.const 5 i64.shl i64.or
    local.get $a i64.const 255 i64.le_s i64.extend_i32_u i64.const 6 i64.shl i64.or
    local.get $a i64.const 255 i64.le_u i64.extend_i32_u i64.const 7 i64.shl i64.or
    local.get $a i64.const 255 i64.ge_s i64.extend_i32_u i64.const 8 i64.shl i64.or
    local.get $a i64.const 255 i64.ge_u i64.extend_i32_u i64.const 9 i64.shl i64.or
    i64.const 10 i64.shl local.get $s i64.or local.set $s
    ;; k = 0xff000000
    local.get $a i64.const 0xff000000 i64.eq i64.extend_i32_u
    local.get $a i64.const 0xff000000 i64.ne i64.extend_i32_u i64.const 1 i64.shl i64.or
    local.get $a i64.const 0xff000000 i64.lt_s i64.extend_i32_u i64.const 2 i64.shl i64.or
    local.get $a i64.const 0xff000000 i64.lt_u i64.extend_i32_u i64.const 3 i64.shl i64.or
    local.get $a i64.const 0xff000000 i64.gt_s i64.extend_i32_u i64.const 4 i64.shl i64.or
    local.get $a i64.const 0xff000000 i64.gt_u i64.extend_i32_u i64.const 5 i64.shl i64.or
    local.get $a i64.const 0xff000000 i64.le_s i64.extend_i32_u i64.const 6 i64.shl i64.or
    local.get $a i64.const 0xff000000 i64.le_u i64.extend_i32_u i64.const 7 i64.shl i64.or
    local.get $a i64.const 0xff000000 i64.ge_s i64.extend_i32_u i64.const 8 i64.shl i64.or
    local.get $a i64.const 0xff000000 i64.ge_u i64.extend_i32_u i64.const 9 i64.shl i64.or
    i64.const 20 i64.shl local.get $s i64.or local.set $s
    ;; k = -1
    local.get $a i64.const -1 i64.eq i64.extend_i32_u
    local.get $a i64.const -1 i64.ne i64.extend_i32_u i64.const 1 i64.shl i64.or
    local.get $a i64.const -1 i64.lt_s i64.extend_i32_u i64.const 2 i64.shl i64.or
    local.get $a i64.const -1 i64.lt_u i64.extend_i32_u i64.const 3 i64.shl i64.or
    local.get $a i64.const -1 i64.gt_s i64.extend_i32_u i64.const 4 i64.shl i64.or
    local.get $a i64.const -1 i64.gt_u i64.extend_i32_u i64.const 5 i64.shl i64.or
    local.get $a i64.const -1 i64.le_s i64.extend_i32_u i64.const 6 i64.shl i64.or
    local.get $a i64.const -1 i64.le_u i64.extend_i32_u i64.const 7 i64.shl i64.or
    local.get $a i64.const -1 i64.ge_s i64.extend_i32_u i64.const 8 i64.shl i64.or
    local.get $a i64.const -1 i64.ge_u i64.extend_i32_u i64.const 9 i64.shl i64.or
    i64.const 30 i64.shl local.get $s i64.or local.set $s
    ;; k = -256 and 0x12345, eq and lt_u / gt_s only
    local.get $a i64.const -256 i64.eq i64.extend_i32_u
    local.get $a i64.const -256 i64.ne i64.extend_i32_u i64.const 1 i64.shl i64.or
    local.get $a i64.const -256 i64.gt_s i64.extend_i32_u i64.const 2 i64.shl i64.or
    local.get $a i64.const 0x12345 i64.lt_u i64.extend_i32_u i64.const 3 i64.shl i64.or
    local.get $a i64.const 0x12345 i64.eq i64.extend_i32_u i64.const 4 i64.shl i64.or
    i64.const 40 i64.shl local.get $s i64.or local.set $s
    local.get $s)
  ;; fused compare-and-branch with a constant (OPBI forms)
  (func (export "brk64") (param $a i64) (result i32)
    (local $s i32)
    block local.get $a i64.const 255 i64.gt_u br_if 0 local.get $s i32.const 1 i32.or local.set $s end
    block local.get $a i64.const 255 i64.le_s br_if 0 local.get $s i32.const 2 i32.or local.set $s end
    block local.get $a i64.const 0 i64.lt_s br_if 0 local.get $s i32.const 4 i32.or local.set $s end
    block local.get $a i64.const 0xff000000 i64.ge_u br_if 0 local.get $s i32.const 8 i32.or local.set $s end
    block local.get $a i64.const -1 i64.eq br_if 0 local.get $s i32.const 16 i32.or local.set $s end
    block local.get $a i64.const -256 i64.ne br_if 0 local.get $s i32.const 32 i32.or local.set $s end
    local.get $s))
