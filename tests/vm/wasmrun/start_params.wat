;; Issue 12, finding 1: a _start that takes a parameter and returns a
;; value is not a WASI command (wasmrun died with SIGSEGV).
(module (func (export "_start") (param i32) (result i32) local.get 0))
