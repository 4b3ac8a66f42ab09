# Example programs: C compiled by clang to wasm32-wasi with Debian's
# wasi-libc, packed into $(O)/programs.tar (ustar), the ramdisk the x86 ISO
# and the ARM U-Boot disk carry. Built when clang can target wasm32-wasi.
WASI_CC := clang --target=wasm32-wasi --sysroot=/usr -fuse-ld=/usr/bin/wasm-ld-14
WASI_CFLAGS := -O2 -Wall -Wextra -Werror
PROGRAMS := $(sort $(wildcard programs/*.c))
PROGRAM_WASM := $(patsubst programs/%.c,$(O)/programs/%.wasm,$(PROGRAMS))

# WebAssembly 2.0 builds: every 2.0 feature clang 14 has. With bulk
# memory clang 14 makes wasi-libc's errno a thread-local variable and
# refuses any model but local-exec for it ("only -ftls-model=local-exec is
# supported for now on non-Emscripten OSes: variable errno") in a program
# that uses errno; Debian 12's prebuilt crt1 and libc.a link with the
# flags below. -mmultivalue only enables the feature: the
# multi-value ABI (-Xclang -target-abi -Xclang experimental-mv) returns
# structs as several values, which does not link with Debian's wasi-libc
# (built for the MVP ABI: div() becomes a signature-mismatch stub that
# traps) and makes clang 14 crash in register stackifying, so the 2.0
# builds keep the standard ABI and multi-value is tested in wasm text
# (multivalue.wat). V2_PROGRAMS are built only this way; V2_TWINS are
# 1.0 programs built a second time as NAME-v2.
V2_FLAGS := -msign-ext -mmultivalue -mreference-types -mbulk-memory \
	-mnontrapping-fptoint -msimd128 -ftls-model=local-exec
V2_PROGRAMS := vector simd calls
V2_TWINS := features
WAT_PROGRAMS := $(patsubst programs/%.wat,%,$(sort $(wildcard programs/*.wat)))
PROGRAM_WASM += $(patsubst %,$(O)/programs/%-v2.wasm,$(V2_TWINS)) \
	$(patsubst %,$(O)/programs/%.wasm,$(WAT_PROGRAMS))
HAVE_WASI := $(wildcard /usr/lib/wasm32-wasi/libc.a)

# Programs with threads (programs/lib/thread.h): built with atomics and
# bulk memory, their memory imported and then marked shared, which wasm-ld
# 14 cannot do for objects (Debian's wasi-libc) built without atomics:
# wasm2wat, add `shared` to the memory import, wat2wasm. With bulk memory
# wasm-ld zeroes .bss from a start function (memory.fill); threads'
# instances never run the start function (docs/vm.md). The same pass
# exports wasi_thread_start itself, not the wrapper wasm-ld puts around
# every export of a command, which would run the C destructors (atexit
# handlers, stdio flush) each time a thread ends.
THREAD_PROGRAMS := counter ring atomics parallel
THREAD_LIB := programs/lib/thread.c programs/lib/thread_start.s
THREAD_LDFLAGS := -Wl,--import-memory,--max-memory=16777216 \
	-Wl,--export=wasi_thread_start

$(O)/programs/%.wasm: programs/%.c
	@echo "  WASM    $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(WASI_CC) $(WASI_CFLAGS) -o $@ $< -lm

$(addprefix $(O)/programs/,$(addsuffix .wasm,$(THREAD_PROGRAMS))): \
$(O)/programs/%.wasm: programs/%.c $(THREAD_LIB) programs/lib/thread.h \
	programs/rules.mk
	@echo "  WASM    $@ (threads)"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(WASI_CC) $(WASI_CFLAGS) -matomics -mbulk-memory -o $@.unshared.wasm $< \
		$(THREAD_LIB) $(THREAD_LDFLAGS) -lm
	$(Q)wasm2wat --enable-threads $@.unshared.wasm | \
		sed -E -e 's/^(  \(import "env" "memory" \(memory \(;0;\) [0-9]+ [0-9]+)\)\)/\1 shared))/' \
		-e 's/^(  \(export "wasi_thread_start" \(func \$$wasi_thread_start)\.command_export\)\)/\1))/' \
		>$@.wat
	$(Q)grep -q '(import "env" "memory" .* shared))' $@.wat || \
		{ echo "$@: no memory import to mark shared" >&2; exit 1; }
	$(Q)grep -q '(export "wasi_thread_start" (func $$wasi_thread_start))' $@.wat || \
		{ echo "$@: wasi_thread_start is not exported unwrapped" >&2; exit 1; }
	$(Q)wat2wasm --enable-threads -o $@ $@.wat

$(addprefix $(O)/programs/,$(addsuffix .wasm,$(V2_PROGRAMS))): \
$(O)/programs/%.wasm: programs/%.c programs/rules.mk
	@echo "  WASM    $@ (2.0)"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(WASI_CC) $(WASI_CFLAGS) $(V2_FLAGS) -o $@ $< -lm

$(O)/programs/%-v2.wasm: programs/%.c programs/rules.mk
	@echo "  WASM    $@ (2.0)"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(WASI_CC) $(WASI_CFLAGS) $(V2_FLAGS) -o $@ $< -lm

$(O)/programs/%.wasm: programs/%.wat
	@echo "  WAT     $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)wat2wasm -o $@ $<

# Names inside the archive are the bare program names, as `run` takes them.
$(O)/programs.tar: $(PROGRAM_WASM)
	@echo "  TAR     $@"
	$(Q)tar --format=ustar --owner=0 --group=0 -C $(O)/programs -cf $@ \
		$(notdir $(PROGRAM_WASM))

.PHONY: programs
ifneq ($(HAVE_WASI),)
programs: $(O)/programs.tar
else
programs:
	@echo "programs: wasi-libc is missing (scripts/install-deps installs it)"
endif
