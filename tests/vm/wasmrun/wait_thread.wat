;; A second thread stores 1 at [0] and notifies while the main thread
;; waits for it with no timeout: no trap, exit status 7.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (func (export "wasi_thread_start") (param i32 i32)
    i32.const 0 i32.const 1 i32.atomic.store
    i32.const 0 i32.const 1 memory.atomic.notify drop)
  (func (export "_start")
    i32.const 0 call $spawn drop
    block loop
      i32.const 0 i32.atomic.load br_if 1
      i32.const 0 i32.const 0 i64.const -1 memory.atomic.wait32 drop
      br 0
    end end
    i32.const 7 call $exit))
