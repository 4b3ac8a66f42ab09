# Regenerate program_modules.h: python3 gen_modules.py (needs wabt wat2wasm).
# Programs (WASI commands) for the in-kernel `program` suite: they import
# shared memories by name and use the kernel's wait/notify and threads.
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from wat_header import write_header

EXIT = '(import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))'
mods = {
# Adds 1 to the shared word at 0, 1000000 times; sets the word at 4 if
# another program's adds came between two of its own (the old value
# jumped): proof that they ran interleaved, not one after the other.
"shmadd": '''(module (import "shm" "kt.count" (memory 1 1 shared))
  (func (export "_start") (local $i i32) (local $old i32) (local $last i32)
    i32.const -1 local.set $last
    loop
      i32.const 0 i32.const 1 i32.atomic.rmw.add local.set $old
      local.get $last i32.const -1 i32.ne
      local.get $old local.get $last i32.const 1 i32.add i32.ne
      i32.and if i32.const 4 i32.const 1 i32.atomic.store end
      local.get $old local.set $last
      local.get $i i32.const 1 i32.add local.tee $i
      i32.const 1000000 i32.lt_u br_if 0
    end))''',
# Waits at 0 (value 0) with no timeout.
"waitforever": '''(module (import "shm" "kt.wait" (memory 1 1 shared))
  (func (export "_start")
    i32.const 0 i32.const 0 i64.const -1 memory.atomic.wait32 drop))''',
# Exits with wait32's result: at 0 expecting 1 (the word is 0): 1.
"waitne": '''(module %s (import "shm" "kt.res" (memory 1 1 shared))
  (func (export "_start")
    i32.const 0 i32.const 1 i64.const -1 memory.atomic.wait32 call $exit))''' % EXIT,
# Exits with wait32's result: at 0 expecting 0, 20 ms: 2.
"waitto": '''(module %s (import "shm" "kt.res" (memory 1 1 shared))
  (func (export "_start")
    i32.const 0 i32.const 0 i64.const 20000000 memory.atomic.wait32 call $exit))''' % EXIT,
# Exits with wait32's result at 4, no timeout: 0 once notified.
"waitok": '''(module %s (import "shm" "kt.res" (memory 1 1 shared))
  (func (export "_start")
    i32.const 4 i32.const 0 i64.const -1 memory.atomic.wait32 call $exit))''' % EXIT,
# Exits with the number of waiters notify woke at 4.
"notify": '''(module %s (import "shm" "kt.res" (memory 1 1 shared))
  (func (export "_start")
    i32.const 4 i32.const 1 memory.atomic.notify call $exit))''' % EXIT,
# A memory import that is not shared: refused at link time.
"unshared": '''(module (import "shm" "kt.unshared" (memory 1 1))
  (func (export "_start")))''',
# Needs 2 pages of an area the test creates with 1.
"toobig": '''(module (import "shm" "kt.small" (memory 2 2 shared))
  (func (export "_start")))''',
# Shared memory names the kernel refuses, each with its own message:
# empty, 200 bytes (the limit is 31), a control character; and a minimum
# beyond what any area may reserve (CONFIG_PROGRAM_SHM_MAX_MB <= 1024).
"noname": '''(module (import "shm" "" (memory 1 1 shared))
  (func (export "_start")))''',
"longname": '''(module (import "shm" "%s" (memory 1 1 shared))
  (func (export "_start")))''' % ('n' * 200),
"ctrlname": '''(module (import "shm" "kt\\01name" (memory 1 1 shared))
  (func (export "_start")))''',
"hugemin": '''(module (import "shm" "kt.huge" (memory 65536 65536 shared))
  (func (export "_start")))''',
# Three threads (wasi-threads) add their start_arg to [0] and count
# themselves in [4], notifying; the main thread waits for 3 and exits
# with [0] (10 + 20 + 30 = 60).
"threads": '''(module %s
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    i32.const 0 local.get $arg i32.atomic.rmw.add drop
    i32.const 4 i32.const 1 i32.atomic.rmw.add drop
    i32.const 4 i32.const 1 memory.atomic.notify drop)
  (func (export "_start") (local $n i32)
    i32.const 10 call $spawn drop
    i32.const 20 call $spawn drop
    i32.const 30 call $spawn drop
    block loop
      i32.const 4 i32.atomic.load local.tee $n
      i32.const 3 i32.eq br_if 1
      i32.const 4 local.get $n i64.const -1 memory.atomic.wait32 drop
      br 0
    end end
    i32.const 0 i32.atomic.load call $exit))''' % EXIT,
# A thread exits with 5 while the main thread waits forever: the program
# ends with 5. (start_arg 0: trap instead, status 134.)
"threadexit": '''(module %s
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (func (export "wasi_thread_start") (param i32 i32)
    local.get 1 i32.eqz if unreachable end
    local.get 1 call $exit)
  (func (export "_start")
    i32.const 5 call $spawn drop
    i32.const 0 i32.const 0 i64.const -1 memory.atomic.wait32 drop
    i32.const 99 call $exit))''' % EXIT,
"threadtrap": '''(module %s
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (func (export "wasi_thread_start") (param i32 i32) unreachable)
  (func (export "_start")
    i32.const 0 call $spawn drop
    i32.const 0 i32.const 0 i64.const -1 memory.atomic.wait32 drop
    i32.const 99 call $exit))''' % EXIT,
# Regression: the thread exits while the main thread is in sched_yield;
# host calls do not poll the VM's interrupt flag, so the main thread goes
# straight into an untimed wait after the program was told to stop. The
# wait must not sleep then (it did: the run hung). Ends with 5.
"stoprace": '''(module %s
  (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (func (export "wasi_thread_start") (param i32 i32) i32.const 5 call $exit)
  (func (export "_start")
    i32.const 1 call $spawn drop
    call $yield drop
    i32.const 0 i32.const 0 i64.const -1 memory.atomic.wait32 drop
    i32.const 99 call $exit))''' % EXIT,
# Bad thread modules: no wasi_thread_start export, one of the wrong type
# (each ends the program with 134 and a message, the main thread being
# woken from its wait), and a thread-spawn import of the wrong type
# (unlinkable).
"nostart": '''(module
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (func (export "_start")
    i32.const 0 call $spawn drop
    i32.const 0 i32.const 0 i64.const -1 memory.atomic.wait32 drop))''',
"badstart": '''(module
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (func (export "wasi_thread_start") (param i32))
  (func (export "_start")
    i32.const 0 call $spawn drop
    i32.const 0 i32.const 0 i64.const -1 memory.atomic.wait32 drop))''',
"badspawn": '''(module
  (import "wasi" "thread-spawn" (func $spawn (param i32 i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (func (export "_start")))''',
# Main and a thread both wait forever on kt.wait2: for killing.
"waitpair": '''(module
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "shm" "kt.wait2" (memory 1 1 shared))
  (func (export "wasi_thread_start") (param i32 i32)
    i32.const 0 i32.const 0 i64.const -1 memory.atomic.wait32 drop)
  (func (export "_start")
    i32.const 1 call $spawn drop
    i32.const 0 i32.const 0 i64.const -1 memory.atomic.wait32 drop))''',
# Untimed waits that nothing could ever end trap (134): a single thread
# on its private memory, or on a named area nobody else holds, and a
# main thread whose only thread has ended (it set [4] and returned; the
# 50 ms timed wait lets it exit; it is not reaped yet).
"waitalone": '''(module (import "env" "memory" (memory 1 1 shared))
  (func (export "_start")
    i32.const 0 i32.const 0 i64.const -1 memory.atomic.wait32 drop))''',
"waitaloneshm": '''(module %s (import "shm" "kt.alone" (memory 1 1 shared))
  (func (export "_start")
    i32.const 4 i32.const 0 i64.const -1 memory.atomic.wait32 call $exit))''' % EXIT,
"waitafter": '''(module
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (func (export "wasi_thread_start") (param i32 i32) i32.const 4 i32.const 1 i32.atomic.store)
  (func (export "_start")
    i32.const 0 call $spawn drop
    block loop
      i32.const 4 i32.atomic.load br_if 1
      i32.const 4 i32.const 0 i64.const 1000000 memory.atomic.wait32 drop
      br 0
    end end
    i32.const 8 i32.const 0 i64.const 50000000 memory.atomic.wait32 drop
    i32.const 8 i32.const 0 i64.const -1 memory.atomic.wait32 drop))''',
# ... and ones another agent could end do not trap: a thread stores 1 at
# [0] and notifies while the main thread waits for it (exits 7), and a
# program notifies kt.alone at 4 (exits with the count woken).
"waitthread": '''(module %s
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
    i32.const 7 call $exit))''' % EXIT,
"notifyalone": '''(module %s (import "shm" "kt.alone" (memory 1 1 shared))
  (func (export "_start")
    i32.const 4 i32.const 1 memory.atomic.notify call $exit))''' % EXIT,
# Grows its shared memory (1 -> 3 of at most 4 pages) and exits with the
# old size, then the new size * 10: 1 * 100 + 3 * 10 = 130.
"grow": '''(module %s (import "shm" "kt.grow" (memory 1 4 shared))
  (func (export "_start")
    i32.const 2 memory.grow i32.const 100 i32.mul
    memory.size i32.const 10 i32.mul i32.add call $exit))''' % EXIT,
}
write_header(mods, 'program_modules.h', 'TESTS_PROGRAM_MODULES_H',
             'tests/program/program_modules.h: programs for the `program` ktest suite',
             flags=('--enable-threads',))
