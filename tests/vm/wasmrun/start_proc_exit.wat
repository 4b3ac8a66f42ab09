;; A WASI import re-exported as _start: proc_exit takes a parameter.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
  (export "_start" (func 0)))
