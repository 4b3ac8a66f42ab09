# Regenerate hostile_modules.h: python3 gen_hostile_modules.py (needs wabt
# wat2wasm). Programs for the in-kernel `hostile` suite: what a hostile or
# merely unusual program does to the kernel (issue 12's probe).
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from wat_header import write_header

EXIT = '(import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))'
mods = {
# _start with a parameter and a result: not a WASI command.
"startparams": '''(module
  (func (export "_start") (param i32) (result i32) local.get 0))''',
# _start is a re-exported WASI import (proc_exit takes an i32).
"startimport": '''(module %s (export "_start" (func $exit)))''' % EXIT,
# Does nothing: a program that ends at once.
"nop": '''(module (func (export "_start")))''',
# Loops for ever: a CPU hog.
"spin": '''(module (func (export "_start") (loop br 0)))''',
# 1000 pages (64 MiB) of memory, then a loop: a big memset to be killed in.
"bigmem": '''(module (memory 1000)
  (func (export "_start") (loop br 0)))''',
# A shared memory of up to 256 pages: its area reserves 16 MiB, zeroed
# when it is made (a kill must not leak it), then a loop.
"bigshared": '''(module (import "env" "memory" (memory 1 256 shared))
  (func (export "_start") (loop br 0)))''',
# Grows its memory by 200 pages (12.5 MiB) and exits with 1 if
# memory.grow said -1, 0 if it grew.
"growbig": '''(module %s (memory 1)
  (func (export "_start")
    i32.const 200 memory.grow i32.const -1 i32.eq call $exit))''' % EXIT,
# Reads one byte from stdin (fd_read) and exits with the count read.
"readstdin": '''(module
  (import "wasi_snapshot_preview1" "fd_read"
    (func $read (param i32 i32 i32 i32) (result i32)))
  %s (memory 1)
  (func (export "_start")
    i32.const 0 i32.const 16 i32.store
    i32.const 4 i32.const 1 i32.store
    i32.const 0 i32.const 0 i32.const 1 i32.const 8 call $read drop
    i32.const 8 i32.load call $exit))''' % EXIT,
# Two threads that spin; the main thread waits at 0 with no timeout
# (nobody notifies): killing either thread must end the program.
"workers": '''(module
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (func (export "wasi_thread_start") (param i32 i32)
    (loop i32.const 8 i32.const 1 i32.atomic.rmw.add drop br 0))
  (func (export "_start")
    i32.const 1 call $spawn drop
    i32.const 2 call $spawn drop
    i32.const 0 i32.const 0 i64.const -1 memory.atomic.wait32 drop))''',
}
write_header(mods, 'hostile_modules.h', 'TESTS_PROGRAM_HOSTILE_MODULES_H',
             'tests/program/hostile_modules.h: programs for the `hostile` ktest suite',
             flags=('--enable-threads',))
