;; A WASI command whose work is done by multi-value code (issue 14): a
;; function with two results, a loop carrying a parameter, a block with
;; two results. Prints "12345 67890" and a newline.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func $divmod (param i32 i32) (result i32 i32)
    local.get 0 local.get 1 i32.div_u local.get 0 local.get 1 i32.rem_u)
  ;; the digits of n, written to end down; (first address, length)
  (func $digits (param $n i32) (param $end i32) (result i32 i32)
    (local $p i32) (local $d i32)
    local.get $end local.set $p
    local.get $n
    loop $l (param i32) (result i32)
      i32.const 10 call $divmod
      i32.const 48 i32.add local.set $d
      local.get $p i32.const 1 i32.sub local.tee $p local.get $d i32.store8
      local.tee $n local.get $n br_if $l
    end
    drop
    local.get $p local.get $end local.get $p i32.sub)
  (func (export "_start") (local $a i32) (local $b i32)
    ;; the two numbers, from a block with two results
    block (result i32 i32) i32.const 67890 i32.const 12345 end
    local.set $a local.set $b
    ;; "12345" ends at 106, " " at 106, "67890" ends at 112, "\n" at 112
    local.get $a i32.const 106 call $digits drop drop
    i32.const 106 i32.const 32 i32.store8
    local.get $b i32.const 112 call $digits drop drop
    i32.const 112 i32.const 10 i32.store8
    ;; iovec at 0: from 101, 12 bytes
    i32.const 0 i32.const 101 i32.store
    i32.const 4 i32.const 12 i32.store
    i32.const 1 i32.const 0 i32.const 1 i32.const 8 call $fd_write drop))
