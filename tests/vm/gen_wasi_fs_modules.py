# Regenerate wasi_fs_modules.h: python3 gen_wasi_fs_modules.py (needs wabt
# wat2wasm). The module of wasi_fs_test.c: each WASI file function
# imported and exported again as a wasm function of the same type that
# only forwards its arguments (x_NAME), so the test calls them with a
# caller instance, and so with memory.
import os, sys
fns = {
    'path_open': 'i32 i32 i32 i32 i32 i64 i64 i32 i32',
    'path_filestat_get': 'i32 i32 i32 i32 i32',
    'path_create_directory': 'i32 i32 i32',
    'path_remove_directory': 'i32 i32 i32',
    'path_unlink_file': 'i32 i32 i32',
    'path_rename': 'i32 i32 i32 i32 i32 i32',
    'fd_read': 'i32 i32 i32 i32',
    'fd_write': 'i32 i32 i32 i32',
    'fd_pread': 'i32 i32 i32 i64 i32',
    'fd_pwrite': 'i32 i32 i32 i64 i32',
    'fd_seek': 'i32 i64 i32 i32',
    'fd_tell': 'i32 i32',
    'fd_close': 'i32',
    'fd_renumber': 'i32 i32',
    'fd_readdir': 'i32 i32 i32 i64 i32',
    'fd_fdstat_get': 'i32 i32',
    'fd_prestat_get': 'i32 i32',
    'fd_prestat_dir_name': 'i32 i32 i32',
    'fd_filestat_get': 'i32 i32',
    'fd_filestat_set_size': 'i32 i64',
    'fd_sync': 'i32',
}
lines = ['(module']
for name, params in fns.items():
    lines.append('  (import "wasi_snapshot_preview1" "%s" (func $%s (param %s) (result i32)))'
                 % (name, name, params))
lines.append('  (memory (export "memory") 1)')
for name, params in fns.items():
    gets = ' '.join('local.get %d' % i for i in range(len(params.split())))
    lines.append('  (func (export "x_%s") (param %s) (result i32) %s call $%s)'
                 % (name, params, gets, name))
lines[-1] += ')'
mods = {'fs': '\n'.join(lines)}
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from wat_header import write_header
write_header(mods, 'wasi_fs_modules.h', 'TESTS_VM_WASI_FS_MODULES_H',
             'tests/vm/wasi_fs_modules.h: the wasm module of wasi_fs_test.c')
