;; Issue 12, finding 11: an untimed wait nothing could end traps (134,
;; "wait would block forever"), in wasmrun as in the kernel.
(module
  (import "env" "memory" (memory 1 1 shared))
  (func (export "_start")
    i32.const 0 i32.const 0 i64.const -1 memory.atomic.wait32 drop))
