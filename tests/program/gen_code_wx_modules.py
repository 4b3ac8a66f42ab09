# Regenerate code_wx_modules.h: python3 gen_code_wx_modules.py (needs wabt
# wat2wasm). Modules for the in-kernel `code_wx` suite: small functions
# the compiler packs into one chunk of the code region, compiled one at a
# time on their first call; two modules with the same shape and different
# results, so code left over from the first (a stale page, translation or
# instruction-cache line) would give the first's answer.
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from wat_header import write_header

NFUNCS = 16


def module(mul):
    # f<i>(x) = x * mul + i, with a loop so each function has a back-edge
    funcs = []
    for i in range(NFUNCS):
        funcs.append('''  (func (export "f%d") (param $x i32) (result i32) (local $n i32)
    (local.set $n (i32.const 3))
    (loop $l
      (local.set $x (i32.add (local.get $x) (i32.const 0)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (local.get $n)))
    (i32.add (i32.mul (local.get $x) (i32.const %d)) (i32.const %d)))''' % (i, mul, i))
    return '(module\n' + '\n'.join(funcs) + ')'


mods = {'wx_three': module(3), 'wx_five': module(5)}
write_header(mods, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                'code_wx_modules.h'),
             'CODE_WX_MODULES_H',
             'Modules for the in-kernel code_wx suite (gen_code_wx_modules.py)')
