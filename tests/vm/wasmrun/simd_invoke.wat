;; wasmrun --invoke with v128 arguments and results (check.sh)
(module
  (func (export "f") (param v128 i32) (result i32 v128)
    local.get 1 local.get 0 local.get 1 i32x4.splat i32x4.add))
