;; wasmrun --invoke: functions with several results of every type.
(module
  (func (export "divmod") (param i32 i32) (result i32 i32)
    local.get 0 local.get 1 i32.div_s local.get 0 local.get 1 i32.rem_s)
  (func (export "mixed") (param i64 f64) (result f64 i64 f32)
    local.get 1 local.get 0 f32.const 0.5)
  (func (export "none")))
