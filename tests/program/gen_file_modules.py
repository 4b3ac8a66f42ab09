# Regenerate file_modules.h: python3 gen_file_modules.py (needs wabt
# wat2wasm). Programs for the in-kernel `files_kill` suite: a program that
# works on files in /data through WASI, to be killed anywhere.
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from wat_header import write_header

IMPORTS = ''.join('\n  (import "wasi_snapshot_preview1" "%s" (func $%s (param %s)%s))'
                  % (name, alias, params, '' if alias == 'exit' else ' (result i32)')
                  for name, alias, params in (
    ('path_open', 'open', 'i32 i32 i32 i32 i32 i64 i64 i32 i32'),
    ('fd_write', 'write', 'i32 i32 i32 i32'),
    ('fd_sync', 'sync', 'i32'),
    ('fd_close', 'close', 'i32'),
    ('path_unlink_file', 'unlink', 'i32 i32 i32'),
    ('path_rename', 'rename', 'i32 i32 i32 i32 i32 i32'),
    ('path_create_directory', 'mkdir', 'i32 i32 i32'),
    ('path_remove_directory', 'rmdir', 'i32 i32 i32'),
    ('proc_exit', 'exit', 'i32')))

mods = {
# 40 times, in /data (fd 4, the kernel's second preopen): create f.dat
# (O_CREAT|O_TRUNC), write 2 x 20000 bytes (clusters allocated on the
# way), fsync, close, unlink g.dat (ENOENT the first time), rename f.dat to
# g.dat, make and remove the directory "dir"; then exit 0. A failed call
# exits with 100 + its errno. A "dir" left by a killed run is removed
# first.
"fwriter": '''(module%s
  (memory 1)
  (data (i32.const 16) "f.dat")
  (data (i32.const 32) "g.dat")
  (data (i32.const 48) "dir")
  (data (i32.const 64) "\\00\\10\\00\\00\\20\\4e\\00\\00") ;; iov 4096, 20000
  (func $ok (param i32)
    (if (local.get 0)
      (then (call $exit (i32.add (local.get 0) (i32.const 100))))))
  (func (export "_start") (local $i i32) (local $fd i32)
    (drop (call $rmdir (i32.const 4) (i32.const 48) (i32.const 3)))
    (loop $again
      (call $ok (call $open (i32.const 4) (i32.const 0) (i32.const 16)
        (i32.const 5) (i32.const 9) (i64.const 0x56) (i64.const 0)
        (i32.const 0) (i32.const 8)))
      (local.set $fd (i32.load (i32.const 8)))
      (call $ok (call $write (local.get $fd) (i32.const 64) (i32.const 1)
        (i32.const 12)))
      (call $ok (call $write (local.get $fd) (i32.const 64) (i32.const 1)
        (i32.const 12)))
      (call $ok (call $sync (local.get $fd)))
      (call $ok (call $close (local.get $fd)))
      (drop (call $unlink (i32.const 4) (i32.const 32) (i32.const 5)))
      (call $ok (call $rename (i32.const 4) (i32.const 16) (i32.const 5)
        (i32.const 4) (i32.const 32) (i32.const 5)))
      (call $ok (call $mkdir (i32.const 4) (i32.const 48) (i32.const 3)))
      (call $ok (call $rmdir (i32.const 4) (i32.const 48) (i32.const 3)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get $i) (i32.const 40))))
    (call $exit (i32.const 0))))''' % IMPORTS,
}

here = os.path.dirname(os.path.abspath(__file__))
write_header(mods, os.path.join(here, 'file_modules.h'), 'TESTS_PROGRAM_FILE_MODULES_H',
             'Programs of the in-kernel files_kill suite (gen_file_modules.py)')
