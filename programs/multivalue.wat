;; multivalue: WebAssembly 2.0 multi-value end to end, written in wasm text
;; (clang 14's multi-value ABI is experimental and does not link with
;; Debian's wasi-libc). A WASI command: functions with several results,
;; results passed straight on as arguments, blocks, loops and ifs with
;; parameters and several results, br, br_if and br_table carrying several
;; values, call_indirect of a multi-result type, and an exported function
;; with several results. Prints one line per check; programs/multivalue.out
;; holds the expected output (scripts/program-test compares it under
;; wasmrun and in the kernels).
(module
  (type $pair (func (param i32 i32) (result i32 i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  ;; 0..8: an iovec; 16..: scratch for numbers; 64..: the strings.
  (data (i32.const 64) "multivalue: ")            ;; 64, 12
  (data (i32.const 80) "divmod ")                 ;; 80, 7
  (data (i32.const 88) "swap ")                   ;; 88, 5
  (data (i32.const 96) "fib ")                    ;; 96, 4
  (data (i32.const 104) "minmax ")                ;; 104, 7
  (data (i32.const 112) "table ")                 ;; 112, 6
  (data (i32.const 120) "mixed ")                 ;; 120, 6
  (data (i32.const 128) "br_table ")              ;; 128, 9
  (data (i32.const 144) "search ")                ;; 144, 7
  (data (i32.const 152) "fold ")                  ;; 152, 5
  (table 3 funcref)
  (elem (i32.const 0) $divmod $swap $minmax)

  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1)
      (i32.const 8))))

  ;; Signed decimal of an i64, then a space.
  (func $num (param $v i64)
    (local $p i32) (local $neg i32)
    (local.set $p (i32.const 63))
    (i32.store8 (local.get $p) (i32.const 32))
    (local.set $neg (i64.lt_s (local.get $v) (i64.const 0)))
    (block $done
      (loop $digit
        (local.set $p (i32.sub (local.get $p) (i32.const 1)))
        ;; the remainder's magnitude, so that i64 min prints too
        (i32.store8 (local.get $p)
          (i32.add (i32.const 48)
            (i32.wrap_i64 (select
              (i64.sub (i64.const 0) (i64.rem_s (local.get $v) (i64.const 10)))
              (i64.rem_s (local.get $v) (i64.const 10))
              (local.get $neg)))))
        (local.set $v (i64.div_s (local.get $v) (i64.const 10)))
        (br_if $digit (i64.ne (local.get $v) (i64.const 0)))))
    (if (local.get $neg)
      (then
        (local.set $p (i32.sub (local.get $p) (i32.const 1)))
        (i32.store8 (local.get $p) (i32.const 45))))
    (call $write (local.get $p) (i32.sub (i32.const 64) (local.get $p))))

  (func $nl
    (i32.store8 (i32.const 16) (i32.const 10))
    (call $write (i32.const 16) (i32.const 1)))

  ;; "multivalue: <label>"
  (func $label (param $ptr i32) (param $len i32)
    (call $write (i32.const 64) (i32.const 12))
    (call $write (local.get $ptr) (local.get $len)))

  (func $print2 (param i32 i32)
    (call $num (i64.extend_i32_s (local.get 0)))
    (call $num (i64.extend_i32_s (local.get 1)))
    (call $nl))

  (func $divmod (export "divmod") (type $pair)
    (i32.div_s (local.get 0) (local.get 1))
    (i32.rem_s (local.get 0) (local.get 1)))

  (func $swap (type $pair)
    (local.get 1) (local.get 0))

  (func $minmax (type $pair)
    (local.get 0) (local.get 1)
    (if (type $pair) (i32.lt_s (local.get 0) (local.get 1))
      (then)
      (else (call $swap))))

  ;; Three results of three types.
  (func $mixed (param $x i32) (result i64 f64 i32)
    (i64.mul (i64.extend_i32_s (local.get $x)) (i64.const 1000000007))
    (f64.div (f64.convert_i32_s (local.get $x)) (f64.const 4))
    (i32.sub (i32.const 0) (local.get $x)))

  ;; fib(n) by a loop whose parameters are the two last numbers and the
  ;; count; an if with two parameters passes them through or steps.
  (func $fib (param $n i32) (result i64)
    (i64.const 0) (i64.const 1) (local.get $n)
    (loop $step (param i64 i64 i32) (result i64 i64)
      (local.set $n)
      (if (param i64 i64) (result i64 i64) (i32.eqz (local.get $n))
        (then)
        (else
          (call $fib_step)
          (br $step (i32.sub (local.get $n) (i32.const 1))))))
    (drop))

  (func $fib_step (param $a i64) (param $b i64) (result i64 i64)
    (local.get $b) (i64.add (local.get $a) (local.get $b)))

  ;; A block that takes two values and leaves with two through br_table.
  (func $classify (param $k i32) (result i32 i32)
    (block $c (result i32 i32)
      (block $b (result i32 i32)
        (i32.const 100) (local.get $k)
        (block $a (param i32 i32) (result i32 i32)
          (br_table $a $b $c (local.get $k)))
        (i32.add) (i32.const 1) (return))
      (i32.mul) (i32.const 2) (return))
    (i32.sub) (i32.const 3))

  ;; The first index in [0, 64) whose square passes $limit, and the
  ;; square: br_if out of a loop with two values.
  (func $search (param $limit i32) (result i32 i32)
    (local $i i32)
    (block $found (result i32 i32)
      (loop $next
        (br_if $found (local.get $i) (i32.mul (local.get $i) (local.get $i))
          (i32.gt_u (i32.mul (local.get $i) (local.get $i)) (local.get $limit)))
        (drop) (drop)
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $next (i32.lt_u (local.get $i) (i32.const 64))))
      (i32.const -1) (i32.const -1)))

  ;; Folds (sum, xor) over 1..n with a block type from the type section.
  (func $fold (param $n i32) (result i32 i32)
    (i32.const 0) (i32.const 0)
    (block $out (type $pair)
      (loop $l (type $pair)
        (br_if $out (i32.eqz (local.get $n)))
        (i32.xor (local.get $n))
        (call $swap)
        (i32.add (local.get $n))
        (call $swap)
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l))))

  (func $main
    (local $i i32) (local $d f64)
    (call $label (i32.const 80) (i32.const 7))
    (call $print2 (call $divmod (i32.const -47) (i32.const 5)))

    (call $label (i32.const 88) (i32.const 5))
    (call $print2 (call $swap (call $divmod (i32.const 1000) (i32.const 7))))

    (call $label (i32.const 96) (i32.const 4))
    (call $num (call $fib (i32.const 10)))
    (call $num (call $fib (i32.const 90)))
    (call $nl)

    (call $label (i32.const 104) (i32.const 7))
    (call $print2 (call $minmax (i32.const 9) (i32.const -3)))

    ;; call_indirect of (i32 i32) -> (i32 i32) through each table slot
    (loop $each
      (call $label (i32.const 112) (i32.const 6))
      (call $print2 (call_indirect (type $pair)
        (i32.const 17) (i32.const 100) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $each (i32.lt_u (local.get $i) (i32.const 3))))

    (call $label (i32.const 120) (i32.const 6))
    (call $mixed (i32.const -6))
    (call $num (i64.extend_i32_s))
    (local.set $d)
    (call $num)
    (call $num (i64.trunc_f64_s (f64.mul (local.get $d) (f64.const 100))))
    (call $nl)

    (local.set $i (i32.const 0))
    (loop $each
      (call $label (i32.const 128) (i32.const 9))
      (call $print2 (call $classify (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $each (i32.lt_u (local.get $i) (i32.const 4))))

    (call $label (i32.const 144) (i32.const 7))
    (call $print2 (call $search (i32.const 1000)))
    (call $label (i32.const 144) (i32.const 7))
    (call $print2 (call $search (i32.const 5000)))

    (call $label (i32.const 152) (i32.const 5))
    (call $print2 (call $fold (i32.const 100))))

  (func (export "_start")
    (call $main)
    (call $proc_exit (i32.const 0))))
