;; Calls from compiled code to callees the compiler leaves to the
;; interpreter (each uses v128.load: SIMD, which it does not translate; a
;; nested interpreter runs them) and to host functions (WASI); the caller
;; goes on natively after each. For check.sh, as ops.wat.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory 1 4)
  (data (i32.const 16) "hello\n")
  (func $slow (param $a i32) (result i32)
    i32.const 0 v128.load drop
    local.get $a i32.const 3 i32.mul i32.const 1 i32.add)
  ;; the sum of slow(i) for i < n: the loop stays native across the calls
  (func (export "callslow") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    block
      local.get $n i32.eqz br_if 0
      loop
        local.get $i call $slow local.get $s i32.add local.set $s
        local.get $i i32.const 1 i32.add local.tee $i
        local.get $n i32.lt_u br_if 0
      end
    end
    local.get $s)
  ;; a trap inside the nested callee: the callee's message
  (func $slowdiv (param i32) (result i32)
    i32.const 0 v128.load drop
    i32.const 100 local.get 0 i32.div_s)
  (func (export "slowtrap") (param i32) (result i32)
    local.get 0 call $slowdiv i32.const 1 i32.add)
  ;; the callee grows the memory by n pages: the caller's accesses past
  ;; the first page then work (base and size reloaded), or trap (n = 0)
  (func $grow (param i32) (result i32)
    i32.const 0 v128.load drop
    local.get 0 memory.grow)
  (func (export "growcall") (param $n i32) (result i32)
    local.get $n call $grow drop
    i32.const 65536 i32.const 7 i32.store
    i32.const 65536 i32.load)
  ;; host calls: "hello" k times through fd_write, then proc_exit(k) when
  ;; k > 2; else the byte count fd_write wrote last
  (func (export "hostcall") (param $k i32) (result i32)
    (local $i i32)
    i32.const 0 i32.const 16 i32.store
    i32.const 4 i32.const 6 i32.store
    block
      local.get $k i32.eqz br_if 0
      loop
        i32.const 1 i32.const 0 i32.const 1 i32.const 8 call $fd_write
        drop
        local.get $i i32.const 1 i32.add local.tee $i
        local.get $k i32.lt_u br_if 0
      end
    end
    local.get $k i32.const 2 i32.gt_u
    if local.get $k call $proc_exit end
    i32.const 8 i32.load)
  ;; recursion alternating compiled (ping) and nested interpreted (pong)
  ;; frames, n deep: call stack exhausted for large n
  (func $ping (export "ping") (param $n i32) (result i32)
    local.get $n i32.eqz
    if i32.const 0 return end
    local.get $n i32.const 1 i32.sub call $pong i32.const 1 i32.add)
  (func $pong (param $n i32) (result i32)
    i32.const 0 v128.load drop
    local.get $n call $ping) 
  ;; compiled code calling compiled code of its instance (the inline
  ;; call path of the IA-32 backend): recursion n deep, to call stack
  ;; exhausted at the interpreter's depth and op
  (func $deep (export "deep") (param $n i32) (result i32)
    local.get $n i32.eqz
    if i32.const 0 return end
    local.get $n i32.const 1 i32.sub call $deep i32.const 2 i32.add)
  ;; a trap in a compiled callee reached that way (its first call, with
  ;; 1, compiles it through the slow path; the second is direct)
  (func $div100 (param i32) (result i32)
    i32.const 100 local.get 0 i32.div_s)
  (func (export "fasttrap") (param i32) (result i32)
    i32.const 1 call $div100 drop
    local.get 0 call $div100 i32.const 1 i32.add)
  ;; declared locals are zero at each entry, in the same frame slots the
  ;; previous call left values in: three (unrolled) and eight (a loop)
  (func $few (param $x i32) (result i32) (local $a i32) (local $b i64) (local $c i32)
    local.get $a local.get $c i32.add
    local.get $b i32.wrap_i64 i32.add
    local.get $x local.tee $a local.set $c
    local.get $x i64.extend_i32_u local.set $b)
  (func $many (param $x i32) (result i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32)
    (local $e i32) (local $f i64) (local $g i32) (local $h i32)
    local.get $a local.get $b i32.add local.get $c i32.add
    local.get $d i32.add local.get $e i32.add
    local.get $f i32.wrap_i64 i32.add local.get $g i32.add
    local.get $h i32.add
    local.get $x local.tee $a local.tee $b local.tee $c local.tee $d
    local.tee $e local.tee $g local.set $h
    local.get $x i64.extend_i32_u local.set $f)
  (func (export "locals") (param $x i32) (result i32)
    local.get $x call $few local.get $x call $few i32.add
    local.get $x call $many i32.add local.get $x call $many i32.add
    local.get $x call $few i32.add local.get $x call $many i32.add))
