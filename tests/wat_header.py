# Write a C header of wasm modules assembled by wabt's wat2wasm from text,
# each array preceded by its source: the ktest suites embed modules this
# way so their cases run in the kernel too, with no files.
import os, subprocess, tempfile

def write_header(mods, path, guard, title, flags=()):
    out = ['/*', ' * ' + title + ',',
           ' * assembled with wat2wasm from the text shown above each array. Embedded',
           ' * so the cases run in the kernel too, with no files.', ' */',
           '#ifndef ' + guard, '#define ' + guard, '', '#include <stdint.h>', '']
    with tempfile.TemporaryDirectory() as d:
        wat, wasm = os.path.join(d, 'm.wat'), os.path.join(d, 'm.wasm')
        for name, text in mods.items():
            open(wat, 'w').write(text)
            subprocess.check_call(['wat2wasm', '--no-check', *flags, wat, '-o', wasm])
            b = open(wasm, 'rb').read()
            out.append('/* ' + text.replace('*/', '* /').replace('\n', '\n * ') + ' */')
            out.append('static const uint8_t mod_%s[] = {' % name)
            for i in range(0, len(b), 12):
                out.append('\t' + ', '.join('0x%02x' % x for x in b[i:i + 12]) + ',')
            out.append('};\n')
    out.append('#endif')
    open(path, 'w').write('\n'.join(out) + '\n')
