;; The main thread's only thread has ended (it set [4] and returned; the
;; 50 ms timed wait lets it finish): nothing could notify, so it traps.
(module
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (func (export "wasi_thread_start") (param i32 i32)
    i32.const 4 i32.const 1 i32.atomic.store)
  (func (export "_start")
    i32.const 0 call $spawn drop
    block loop
      i32.const 4 i32.atomic.load br_if 1
      i32.const 4 i32.const 0 i64.const 1000000 memory.atomic.wait32 drop
      br 0
    end end
    i32.const 8 i32.const 0 i64.const 50000000 memory.atomic.wait32 drop
    i32.const 8 i32.const 0 i64.const -1 memory.atomic.wait32 drop))
