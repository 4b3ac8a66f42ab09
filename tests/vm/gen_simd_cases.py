#!/usr/bin/env python3
"""Writes tests/vm/simd_cases.h: the spec's SIMD assertions as C tables.

Usage: tests/vm/gen_simd_cases.py [CORE_2_0_DIR] [OUTPUT]
  (defaults: ../shared/wasm-testsuite/core-2.0, tests/vm/simd_cases.h;
  prints the per-file coverage table that docs/vm-simd.md quotes)

For every core-2.0/simd_*.wast it runs wast2json (wabt 1.0.32, default
features), so the values are wabt's exact bits and the NaN patterns its
nan:canonical / nan:arithmetic, and wasm2wat on each module, so every body
reads as one flat instruction a line whatever the .wast's folding.

A function is kept when its body is straight-line code of: local.get,
local.set, local.tee, constants, global.get of a constant global, i32/i64
loads and stores, drop, and any SIMD instruction (the SIMD_OPS list of
vm/simd.h gives the names, sub-opcodes and forms). It becomes a small
program (simd_progs[]: cells, see SIMD_P_* below) that tests/vm/simd_test.c
runs with vm/simd.h's functions on a value stack. Every assert_return and
plain invoke on such a function becomes a row, in file order, so that the
rows of one module see the memory the earlier ones left, as the spec's do.
Bodies with control flow, calls or other instructions are left out and
counted; assert_trap rows are left out (bounds checks are the interpreter's).
"""
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))

# Program cells: a SIMD instruction is its 0xfd sub-opcode (< 0x100), then
# its immediates (memarg: offset; lane ops: lane; shuffle: 4 cells of 4
# lane bytes). The others:
PSEUDO = {
    "END": 0x100,        # end of the body: the stack holds the results
    "LOCAL_GET": 0x101,  # index
    "LOCAL_SET": 0x102,  # index
    "LOCAL_TEE": 0x103,  # index
    "CONST": 0x104,      # simd_values[] index
    "DROP": 0x105,
    "LOAD": 0x106,       # byte count (4: i32, 8: i64), offset
    "STORE": 0x107,      # byte count, offset
}
SCALAR_LOADS = {"i32.load": 4, "i64.load": 8}
SCALAR_STORES = {"i32.store": 4, "i64.store": 8}
# Result kinds (the expected value's type; v128 by lane type, for NaNs).
KINDS = ["NONE", "I32", "I64", "F32", "F64", "V128_I8", "V128_I16",
         "V128_I32", "V128_I64", "V128_F32", "V128_F64"]
NAN_EXACT, NAN_CANONICAL, NAN_ARITHMETIC = 0, 1, 2
LANE_BITS = {"i8": 8, "i16": 16, "i32": 32, "i64": 64, "f32": 32, "f64": 64}
ROW_GROUP = 0xfff0  # a row header cannot be this: kinds stay below 15
MAX_LOCALS = 8
MAX_PAGES = 1


class Skip(Exception):
    """A function or module the tables cannot express, and why."""


def simd_ops():
    """name (wasm spelling) -> (sub-opcode, form) from vm/simd.h."""
    text = open(os.path.join(ROOT, "vm/simd.h")).read()
    ops = {}
    for name, code, form in re.findall(
            r"X\((\w+), (0x[0-9a-f]+), (\w+), \d+, \d+\)", text):
        ops[name.replace("_", ".", 1)] = (int(code, 16), form)
    if len(ops) != 236:
        sys.exit("vm/simd.h: SIMD_OPS has %d entries, not 236" % len(ops))
    return ops


def float_bits(text, width):
    """The bits of a wasm2wat float literal (hex, decimal, inf, nan)."""
    sign = 0
    if text[0] in "+-":
        sign = 1 if text[0] == "-" else 0
        text = text[1:]
    exp_bits, mant_bits = (8, 23) if width == 32 else (11, 52)
    top = sign << (width - 1)
    if text == "inf":
        return top | (((1 << exp_bits) - 1) << mant_bits)
    if text.startswith("nan"):
        payload = int(text[4:], 16) if text.startswith("nan:") else \
            1 << (mant_bits - 1)
        return top | (((1 << exp_bits) - 1) << mant_bits) | payload
    v = float.fromhex(text) if text.startswith("0x") else float(text)
    if width == 32:
        bits = struct.unpack("<I", struct.pack("<f", v))[0]
        if struct.unpack("<f", struct.pack("<I", bits))[0] != v:
            raise Skip("f32 literal %s is not exact in a double" % text)
    else:
        bits = struct.unpack("<Q", struct.pack("<d", v))[0]
    return top | bits


def v128_from_lanes(shape, lanes):
    bits = int(re.match(r"[if](\d+)x", shape).group(1))
    out = 0
    for i, lane in enumerate(lanes):
        if shape.startswith("f"):
            v = float_bits(lane, bits)
        else:
            v = int(lane.replace("_", ""), 0) & ((1 << bits) - 1)
        out |= v << (i * bits)
    return out


def wat_string(s):
    """The bytes of a wasm2wat string literal."""
    out = bytearray()
    i = 0
    while i < len(s):
        if s[i] == "\\":
            out.append(int(s[i + 1:i + 3], 16))
            i += 3
        else:
            out += s[i].encode()
            i += 1
    return bytes(out)


def parse_module(path):
    """A module as wasm2wat prints it: funcs, exports, globals, memory."""
    text = subprocess.run(["wasm2wat", path], check=True,
                          capture_output=True, text=True).stdout
    mod = {"funcs": [], "exports": {}, "globals": [], "pages": 0,
           "data": [], "imports": False, "set_globals": set()}
    cur = None
    for line in text.split("\n"):
        s = re.sub(r"\(;.*?;\)", "", line).strip()
        if line.startswith("  (") or line.startswith("  )"):
            cur = None
        if line.startswith("  (func "):
            params = re.search(r"\(param ([^)]*)\)", s)
            results = re.search(r"\(result ([^)]*)\)", s)
            cur = {"params": params.group(1).split() if params else [],
                   "results": results.group(1).split() if results else [],
                   "locals": [], "body": []}
            mod["funcs"].append(cur)
            continue
        if line.startswith("  (import"):
            mod["imports"] = True
        m = re.match(r'\(export "((?:[^"\\]|\\.)*)" \(func (\d+)\)\)', s)
        if m:
            name = wat_string(m.group(1)).decode("utf-8", "replace")
            mod["exports"][name] = int(m.group(2))
        m = re.match(r"\(memory\s+(\d+)", s)
        if m:
            mod["pages"] = int(m.group(1))
        m = re.match(r"\(global\s+(\(mut )?(\w+)\)?\s+\((\S+) (.*)\)\)$", s)
        if m:
            mod["globals"].append((m.group(1) is not None, m.group(2),
                                   m.group(3), m.group(4)))
        elif s.startswith("(global"):
            mod["globals"].append((True, None, None, None))
        m = re.match(r'\(data\s+\(i32.const (-?\d+)\)\s+"(.*)"\)+$', s)
        if m:
            mod["data"].append((int(m.group(1)), wat_string(m.group(2))))
        elif s.startswith("(data"):
            mod["data"].append(None)
        if cur is not None and line.startswith("    "):
            if s.startswith("(local"):
                cur["locals"] += s[len("(local"):].rstrip(")").split()
            elif s:
                cur["body"].append(s.rstrip(")").strip())
                if s.startswith("global.set"):
                    mod["set_globals"].add(s.rstrip(")").split()[1])
    return mod


def const_value(mod, kind, imm):
    """The 128-bit pool value of a constant instruction."""
    if kind == "i32.const":
        return int(imm) & 0xffffffff
    if kind == "i64.const":
        return int(imm) & 0xffffffffffffffff
    if kind == "f32.const":
        return float_bits(imm, 32)
    if kind == "f64.const":
        return float_bits(imm, 64)
    if kind == "v128.const":
        parts = imm.split()
        return v128_from_lanes(parts[0], parts[1:])
    raise Skip("constant %s" % kind)


class Tables:
    def __init__(self):
        self.values, self.value_index = [], {}
        self.progs, self.prog_index = [], {}

    def value(self, v):
        if v not in self.value_index:
            self.value_index[v] = len(self.values)
            self.values.append(v)
        return self.value_index[v]

    def prog(self, cells):
        key = tuple(cells)
        if key not in self.prog_index:
            self.prog_index[key] = len(self.progs)
            self.progs += cells
        return self.prog_index[key]


def memarg(words):
    """(offset, remaining words) of `offset=N align=N rest...`."""
    offset = 0
    rest = []
    for w in words:
        if w.startswith("offset="):
            offset = int(w[7:], 0)
        elif not w.startswith("align="):
            rest.append(w)
    return offset, rest


def compile_body(mod, func, ops, tables):
    """A body's program cells, or Skip."""
    if len(func["params"]) + len(func["locals"]) > MAX_LOCALS:
        raise Skip("more than %d locals" % MAX_LOCALS)
    cells = []
    simd_count = 0
    for ins in func["body"]:
        words = ins.split()
        op, imm = words[0], words[1:]
        if op in ("local.get", "local.set", "local.tee"):
            cells += [PSEUDO[op.upper().replace(".", "_")], int(imm[0])]
        elif op.endswith(".const"):
            simd_count += op == "v128.const"
            cells += [PSEUDO["CONST"],
                      tables.value(const_value(mod, op, " ".join(imm)))]
        elif op == "global.get":
            _, _, kind, init = mod["globals"][int(imm[0])]
            if kind is None or imm[0] in mod["set_globals"]:
                raise Skip("global.get of a global that changes")
            cells += [PSEUDO["CONST"],
                      tables.value(const_value(mod, kind, init))]
        elif op == "drop":
            cells.append(PSEUDO["DROP"])
        elif op in SCALAR_LOADS or op in SCALAR_STORES:
            offset, _ = memarg(imm)
            size = SCALAR_LOADS.get(op) or SCALAR_STORES[op]
            kind = "LOAD" if op in SCALAR_LOADS else "STORE"
            cells += [PSEUDO[kind], size, offset]
        elif op in ops:
            code, form = ops[op]
            simd_count += 1
            cells.append(code)
            if form in ("LOAD", "STORE", "LOAD_LANE", "STORE_LANE"):
                offset, imm = memarg(imm)
                if offset > 0xffffffff:
                    raise Skip("offset")
                cells.append(offset)
            if form == "SHUFFLE":
                lanes = [int(x) for x in imm]
                cells += [lanes[i] | lanes[i + 1] << 8 | lanes[i + 2] << 16
                          | lanes[i + 3] << 24 for i in range(0, 16, 4)]
            elif imm:
                cells.append(int(imm[0]))
        else:
            raise Skip(op)
    if not simd_count:
        raise Skip("no SIMD instruction")
    if len(func["results"]) > 1:
        raise Skip("several results")
    return tables.prog(cells + [PSEUDO["END"]])


def arg_value(a):
    if a["type"] == "v128":
        bits = LANE_BITS[a["lane_type"]]
        v = 0
        for i, lane in enumerate(a["value"]):
            v |= (int(lane) & ((1 << bits) - 1)) << (i * bits)
        return v
    if a["type"] in ("i32", "i64", "f32", "f64"):
        return int(a["value"])
    raise Skip("argument type %s" % a["type"])


def expected(e):
    """(kind, value, per-lane NaN kinds) of an expected result."""
    def nan_kind(s):
        return {"nan:canonical": NAN_CANONICAL,
                "nan:arithmetic": NAN_ARITHMETIC}.get(s, NAN_EXACT)
    if e["type"] == "v128":
        lt = e["lane_type"]
        bits = LANE_BITS[lt]
        v, nan = 0, 0
        for i, lane in enumerate(e["value"]):
            k = nan_kind(lane)
            nan |= k << (2 * i)
            if k == NAN_EXACT:
                v |= (int(lane) & ((1 << bits) - 1)) << (i * bits)
        return "V128_" + lt.upper(), v, nan
    if e["type"] in ("i32", "i64", "f32", "f64"):
        k = nan_kind(e["value"])
        return e["type"].upper(), 0 if k else int(e["value"]), k
    raise Skip("result type %s" % e["type"])


def convert(wast, tmp):
    base = os.path.splitext(os.path.basename(wast))[0]
    out = os.path.join(tmp, base)
    os.makedirs(out, exist_ok=True)
    subprocess.run(["wast2json", "--output=%s/%s.json" % (out, base), wast],
                   check=True, capture_output=True)
    return base, json.load(open("%s/%s.json" % (out, base))), out


def main():
    suite = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        ROOT, "../shared/wasm-testsuite/core-2.0")
    output = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        ROOT, "tests/vm/simd_cases.h")
    ops = simd_ops()
    tables = Tables()
    rows, files, mems = [], [], []
    used_ops = set()
    wasts = sorted(f for f in os.listdir(suite)
                   if f.startswith("simd_") and f.endswith(".wast"))
    tmp = tempfile.mkdtemp()
    try:
        for wast in wasts:
            base, script, out = convert(os.path.join(suite, wast), tmp)
            total = covered = 0
            skipped = {}
            mod = None
            named = {}
            for c in script["commands"]:
                if c["type"] == "module":
                    mod = parse_module(os.path.join(out, c["filename"]))
                    mod["index"] = None
                    if "name" in c:
                        named[c["name"]] = mod
                    continue
                if c["type"] not in ("assert_return", "action"):
                    continue
                action = c["action"]
                if action["type"] != "invoke":
                    continue
                is_assert = c["type"] == "assert_return"
                total += is_assert
                m = named[action["module"]] if "module" in action else mod
                try:
                    if m["imports"]:
                        raise Skip("module with imports")
                    if m["pages"] > MAX_PAGES or None in m["data"]:
                        raise Skip("memory")
                    func = m["funcs"][m["exports"][action["field"]]]
                    prog = compile_body(m, func, ops, tables)
                    args = [tables.value(arg_value(a))
                            for a in action["args"]]
                    if len(args) > 4:
                        raise Skip("more than 4 arguments")
                    if is_assert:
                        if len(c["expected"]) > 1:
                            raise Skip("several results")
                        kind, value, nan = expected(c["expected"][0]) \
                            if c["expected"] else ("NONE", 0, 0)
                    else:
                        kind, value, nan = "NONE", 0, 0
                except Skip as why:
                    if is_assert:
                        skipped[str(why)] = skipped.get(str(why), 0) + 1
                    continue
                if m["index"] is None:
                    m["index"] = len(mems)
                    mems.append(m)
                used_ops.update(x for x in func["body"])
                covered += is_assert
                rows.append((prog, m["index"], args, tables.value(value),
                             kind, nan, len(files), c["line"], is_assert))
            files.append((base, total, covered, skipped))
    finally:
        shutil.rmtree(tmp)
    write(output, tables, rows, files, mems)
    report(files, ops, used_ops)


def report(files, ops, used):
    print("| file | assert_return | in the table | left out (why) |")
    print("|---|---:|---:|---|")
    t = c = 0
    for base, total, covered, skipped in files:
        t += total
        c += covered
        why = ", ".join("%d %s" % (n, k) for k, n in
                        sorted(skipped.items(), key=lambda kv: -kv[1]))
        print("| %s | %d | %d | %s |" % (base, total, covered, why))
    print("| total | %d | %d | |" % (t, c))
    names = {u.split()[0] for u in used}
    missing = sorted(n for n in ops if n not in names)
    print("SIMD instructions in no row: %d %s" % (len(missing),
                                                  " ".join(missing)))


def c_string(b):
    return '"' + "".join("\\x%02x" % x for x in b) + '"'


def write(output, tables, rows, files, mems):
    if len(tables.values) > 0xffff or len(tables.progs) > 0xffff or \
            len(mems) > 0xffff or len(KINDS) > 15:
        sys.exit("tables too large for 16-bit indices")
    o = []
    o.append("/* clang-format off */")
    o.append("/* generated by tests/vm/gen_simd_cases.py from the core-2.0 "
             "simd_*.wast files (wast2json 1.0.32): do not edit */")
    o.append("#ifndef SIMD_CASES_H\n#define SIMD_CASES_H\n")
    o.append("#include <stdint.h>\n")
    for k, v in PSEUDO.items():
        o.append("#define SIMD_P_%s 0x%x" % (k, v))
    o.append("enum simd_kind { %s };" % ", ".join(
        "SIMD_K_" + k for k in KINDS))
    o.append("#define SIMD_NAN_EXACT 0\n#define SIMD_NAN_CANONICAL 1\n"
             "#define SIMD_NAN_ARITHMETIC 2")
    o.append("#define SIMD_MAX_LOCALS %d\n#define SIMD_MAX_PAGES %d\n"
             % (MAX_LOCALS, MAX_PAGES))
    o.append("""/*
 * simd_rows[]: the invocations in file order, as 16-bit words. A group
 * header, SIMD_ROW_GROUP then program (simd_progs[] index), memory image
 * and file (simd_files[] index), sets those for the rows after it. A row:
 * nan << 8 | kind << 4 | nargs << 1 | check, the .wast line, the expected
 * value and the arguments (simd_values[] indices). nan holds the NaN kind
 * of each expected lane, 2 bits a lane; check is 0 for a plain invoke, run
 * only for its effect on memory.
 */
#define SIMD_ROW_GROUP 0x%x
""" % ROW_GROUP)
    o.append("""struct simd_seg {
\tuint16_t mem;
\tuint32_t offset, len;
\tconst char *bytes;
};
struct simd_file {
\tconst char *name;
\tuint16_t asserts, rows;
};
""")
    o.append("static const uint32_t simd_values[][4] = {")
    for v in tables.values:
        o.append("{0x%x,0x%x,0x%x,0x%x}," % tuple(
            (v >> (32 * i)) & 0xffffffff for i in range(4)))
    o.append("};\n")
    o.append("static const uint32_t simd_progs[] = {")
    for i in range(0, len(tables.progs), 16):
        o.append(",".join("0x%x" % x for x in tables.progs[i:i + 16]) + ",")
    o.append("};\n")
    o.append("static const struct simd_seg simd_segs[] = {")
    for i, m in enumerate(mems):
        for off, data in m["data"]:
            o.append("{%d,%d,%d,%s}," % (i, off, len(data), c_string(data)))
    o.append("};\n")
    o.append("#define SIMD_MEMS %d\n" % len(mems))
    o.append("static const struct simd_file simd_files[] = {")
    for base, total, covered, _ in files:
        o.append('{"%s",%d,%d},' % (base, total, covered))
    o.append("};\n")
    o.append("static const uint16_t simd_rows[] = {")
    group = None
    for prog, mem, args, exp, kind, nan, f, line, check in rows:
        words = []
        if (prog, mem, f) != group:
            group = (prog, mem, f)
            words += [ROW_GROUP, prog, mem, f]
        words += [nan << 8 | KINDS.index(kind) << 4 | len(args) << 1 |
                  (1 if check else 0), line, exp] + args
        o.append(",".join("0x%x" % w for w in words) + ",")
    o.append("};\n\n#endif")
    with open(output, "w") as f:
        f.write("\n".join(o) + "\n")


if __name__ == "__main__":
    main()
