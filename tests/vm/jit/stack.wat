;; tools/jitcheck/stack.c's module: compiled code calling compiled code
;; of its instance (the backends' inline call), n deep, on a thread
;; whose native stack is small. The native stack limit must turn the
;; deep end into nested, interpreted calls, and past max_depth the
;; recursion ends in the interpreter's `call stack exhausted`, never
;; in a fault.
(module
  (func $deep (export "deep") (param $n i32) (result i32)
    local.get $n i32.eqz
    if i32.const 0 return end
    local.get $n i32.const 1 i32.sub call $deep i32.const 2 i32.add)
  ;; the same with five declared locals (the zeroing loop), which must
  ;; read 0 on entry
  (func $wide (export "wide") (param $n i32) (result i32)
    (local i32 i32 i32 i32 i32)
    local.get 1 local.get 2 i32.or local.get 3 i32.or local.get 4
    i32.or local.get 5 i32.or
    if unreachable end
    local.get $n i32.const 7 i32.add local.set 5
    local.get $n i32.eqz
    if i32.const 0 return end
    local.get $n i32.const 1 i32.sub call $wide local.get 5 i32.add
    local.get $n i32.sub i32.const 5 i32.sub))
