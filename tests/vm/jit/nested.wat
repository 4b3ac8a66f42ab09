;; An interrupt inside a nested interpreter (tools/jitcheck/interrupt.c):
;; compiled "outer" calls $inner, which the compiler leaves to the
;; interpreter (v128.load: SIMD); $inner calls the host's env.stop, which sets
;; the thread's interrupt flag, so $inner's loop stops at its back-edge,
;; three frames deep in a nested vm_exec. "direct" calls env.stop from
;; compiled code and then loops: the compiled back-edge stops.
(module
  (import "env" "stop" (func $stop))
  (memory 1)
  (func $inner (param $n i32) (result i32)
    (local $s i32)
    i32.const 0 v128.load drop
    call $stop
    loop
      local.get $s local.get $n i32.add local.set $s
      local.get $n i32.const 1 i32.sub local.tee $n
      br_if 0
    end
    local.get $s)
  (func (export "outer") (param $n i32) (result i32)
    local.get $n call $inner i32.const 1 i32.add)
  (func (export "direct") (param $n i32) (result i32)
    (local $s i32)
    call $stop
    loop
      local.get $s local.get $n i32.add local.set $s
      local.get $n i32.const 1 i32.sub local.tee $n
      br_if 0
    end
    local.get $s i32.const 2 i32.add)
  ;; the interrupt poll of the IA-32 backend's inline call: "fast" calls
  ;; $leaf (compiling it), then $stopper (which calls env.stop), then
  ;; $leaf again directly: the flag is seen at that entry
  (func $leaf (param i32) (result i32) local.get 0 i32.const 1 i32.add)
  (func $stopper (param i32) (result i32) call $stop local.get 0)
  (func (export "fast") (param $n i32) (result i32)
    local.get $n call $leaf call $stopper call $leaf))
