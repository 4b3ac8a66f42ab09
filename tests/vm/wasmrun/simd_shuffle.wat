;; The shapes exec.c runs its own way (check.sh): i8x16.shuffle's
;; widening/insert shape, in place from b and from a, beside a generic
;; shuffle, and the inline i32x4.mul (products wrap to 32 bits).
(module
  (func (export "keep_b") (param v128 v128) (result v128)
    local.get 0 local.get 1
    i8x16.shuffle 12 17 18 19 13 21 22 23 14 25 26 27 15 29 30 31)
  (func (export "keep_a") (param v128 v128) (result v128)
    local.get 0 local.get 1
    i8x16.shuffle 16 1 2 3 17 5 6 7 18 9 10 11 31 13 14 15)
  (func (export "generic") (param v128 v128) (result v128)
    local.get 0 local.get 1
    i8x16.shuffle 16 17 2 3 18 19 6 7 20 21 10 11 22 23 14 15)
  (func (export "mul") (param v128 v128) (result v128)
    local.get 0 local.get 1 i32x4.mul))
