# Regenerate compiled_modules.h: python3 gen_compiled_modules.py (needs
# wabt wat2wasm). Programs for the in-kernel `compiled` suite: recursion
# through compiled frames, and through compiled and interpreted frames
# alternately (pong's v128.load is an op no backend translates yet, SIMD,
# so it runs in a nested interpreter; memory.fill compiles since the
# bulk ops go through jit_bulk.c), deep and to the depth limit.
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from wat_header import write_header

EXIT = '(import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))'
ALT = '''(memory 1)
  (func $ping (param $n i32) (result i32)
    local.get $n i32.eqz
    if i32.const 0 return end
    local.get $n i32.const 1 i32.sub call $pong i32.const 1 i32.add)
  (func $pong (param $n i32) (result i32)
    i32.const 0 v128.load drop
    local.get $n call $ping)'''
REC = '''(func $rec (param $n i32) (result i32)
    local.get $n i32.eqz
    if i32.const 0 return end
    local.get $n i32.const 1 i32.sub call $rec i32.const 1 i32.add)'''

def prog(body, n):
    return '(module %s %s\n  (func (export "_start")\n    i32.const %d call %s call $exit))' % (
        EXIT, body, n, '$ping' if body is ALT else '$rec')

mods = {
    # compiled ping, interpreted pong, a million deep: call stack exhausted
    "altdeep": prog(ALT, 1000000),
    # the same, 3 and 16 deep: exit status 3, 16
    "alt3": prog(ALT, 3),
    "alt16": prog(ALT, 16),
    # compiled recursion a million deep: call stack exhausted
    "recdeep": prog(REC, 1000000),
    # 100 deep: exit status 100
    "rec100": prog(REC, 100),
    # 5000 deep (alt: 4000 levels of two frames), far beyond what a
    # kernel stack holds of compiled or nested frames: the rest runs
    # interpreted; exit status mod 256
    "rec5000": prog(REC, 5000),
    "alt4000": prog(ALT, 4000),
}

write_header(mods, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                'compiled_modules.h'),
             'COMPILED_MODULES_H',
             'Programs for the in-kernel compiled suite (gen_compiled_modules.py)')
