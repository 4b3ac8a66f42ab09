/*
 * vm/include/vm/config.h: every limit of the WebAssembly VM in one place.
 *
 * Each value may be overridden by the embedder with -D (the kernel uses
 * smaller stacks than the host tools). Limits guard the embedder against
 * hostile modules: a module that exceeds one is rejected at load time or
 * traps at run time, it never exhausts the embedder's memory or native stack.
 */
#ifndef VM_CONFIG_H
#define VM_CONFIG_H

#include <stdint.h>

/* Wasm calls that may be active at once; one deeper traps "call stack
 * exhausted". */
#ifndef VM_MAX_CALL_DEPTH
#define VM_MAX_CALL_DEPTH 10000
#endif

/* 64-bit slots in one thread's value stack (locals + operands of all frames).
 */
#ifndef VM_STACK_SLOTS
#define VM_STACK_SLOTS (1024 * 1024)
#endif

/* Locals (params included) of one function. */
#ifndef VM_MAX_LOCALS
#define VM_MAX_LOCALS 50000
#endif

/* Operand-stack height of one function, checked by the validator. */
#ifndef VM_MAX_OPERANDS
#define VM_MAX_OPERANDS 50000
#endif

/* Nesting of blocks/loops/ifs in one function. */
#ifndef VM_MAX_BLOCK_DEPTH
#define VM_MAX_BLOCK_DEPTH 10000
#endif

/* Entries of the module's index spaces and sections. */
#ifndef VM_MAX_FUNCS
#define VM_MAX_FUNCS 1000000
#endif
#ifndef VM_MAX_TYPES
#define VM_MAX_TYPES 1000000
#endif
#ifndef VM_MAX_IMPORTS
#define VM_MAX_IMPORTS 100000
#endif
#ifndef VM_MAX_EXPORTS
#define VM_MAX_EXPORTS 100000
#endif
#ifndef VM_MAX_GLOBALS
#define VM_MAX_GLOBALS 1000000
#endif
#ifndef VM_MAX_SEGMENTS
#define VM_MAX_SEGMENTS 100000
#endif
#ifndef VM_MAX_PARAMS
#define VM_MAX_PARAMS 1000
#endif

/* Tables a module may have, imported and its own (reference types). */
#ifndef VM_MAX_TABLES
#define VM_MAX_TABLES 100000
#endif

/* Table elements an instance may have (initial or grown). */
#ifndef VM_MAX_TABLE_ELEMS
#define VM_MAX_TABLE_ELEMS 10000000
#endif

/*
 * 64 KiB pages one linear memory may reach. The wasm32 limit is 65536
 * (4 GiB); a 32-bit kernel cannot map that, so it lowers this value and
 * memory.grow beyond it returns -1 as the spec allows.
 */
#ifndef VM_MAX_PAGES
#if UINTPTR_MAX > 0xffffffffu
#define VM_MAX_PAGES 65536u
#else
#define VM_MAX_PAGES 16384u
#endif
#endif

/*
 * The compiler tier (docs/vm-compiler.md): 1 in builds that link a
 * backend (vm/jit/, chosen by the build: host-i386 today), which then
 * compiles functions at their first call when the embedder gives code
 * memory (vm_host_ops.code_alloc). 0: the interpreter only, and exec.c
 * has no trace of the compiler.
 */
#ifndef VM_CONFIG_JIT
#define VM_CONFIG_JIT 0
#endif

#endif
