;; poll_oneoff whose events overlap its subscriptions, at the end of
;; memory. vm/wasi.c zeroed the event over the subscription, which then
;; read as a clock due at once and answered a second time: 32 bytes past
;; the n * 32 it had checked, here 16 bytes past the end of memory (ASan:
;; heap-buffer-overflow; in the kernel, a write into its heap). Found
;; while writing the run-path fuzzer; its hostile modules reach it too.
;; Returns.
(module
  (import "wasi_snapshot_preview1" "poll_oneoff"
    (func $poll (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    ;; one subscription at 65536 - 48: fd_write on stdout, ready at once
    i32.const 65488 i64.const 7 i64.store
    i32.const 65488 i32.const 2 i32.store8 offset=8
    i32.const 65488 i32.const 1 i32.store offset=16
    i32.const 65488 i32.const 65488 i32.const 1 i32.const 0 call $poll
    drop))
