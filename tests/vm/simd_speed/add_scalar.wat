(module
  (memory 1)
  ;; add two arrays of 4096 i32 into a third, n times; return a checksum
  (func (export "run") (param $n i32) (result i32) (local $i i32)
    (block $done (loop $outer
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $i (i32.const 0))
      (loop $inner
        (i32.store offset=34816 (local.get $i)
          (i32.add (i32.load (local.get $i)) (i32.load offset=17408 (local.get $i))))
        (br_if $inner (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4))) (i32.const 16384))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $outer)))
    (i32.load offset=34816 (i32.const 4))))
