# vm/host.mk: the WebAssembly VM's host tools. Included by the top-level
# Makefile; also usable alone: make -f vm/host.mk O=/tmp/vmb all-vm-host
#
#   VM_SRCS               every vm/*.c (the kernel build compiles the same list)
#   $(O)/host/wasmrun     run a WASI command:   wasmrun FILE.wasm [ARGS...]
#                         or call an export:    wasmrun --invoke F FILE.wasm
#   $(O)/host/wasmspec    run wast2json output: wasmspec FILE.json...
#   $(O)/host/wasmrun-san, $(O)/host/wasmspec-san   ASan+UBSan builds
#   $(O)/host/wasmfuzz    libFuzzer target (clang); memories capped at 16 MiB
#                         so large allocations are not reported as leaks/OOM
#   $(O)/host/wasmfuzz-run  libFuzzer target over the kernel's run path (WASI,
#                         shared memory, threads; tools/wasmfuzz/fuzz_run.c)
#   $(O)/host/wasmgen     writes hostile WASI commands (tools/wasmfuzz/gen.c)
#   fuzz-corpus-run       wasmgen into FUZZ_CORPUS_DIR (default
#                         $(O)/fuzz-corpus-run; the committed seed corpus is
#                         tools/wasmfuzz/corpus-run)
#   wasm-spec-check       convert and run the core spec suite into $(O)/spec
#   wasm-spec-check-san   the same with the sanitizer build
#   wasm-spec-2.0         the 2.0 core suite (../shared/wasm-testsuite/
#                         core-2.0) into $(O)/spec-2.0, file by file, with
#                         the overall figure; fails if an assertion fails
#   wasm-spec-2.0-check   the same, failing too if a file listed in
#                         SPEC_2_PASSING (tests/vm/core-2.0-passing) does
#                         not pass exactly its listed count
#   wasm-bulk-check       tests/vm/prog/bulk.c built by clang -mbulk-memory
#                         (memory.copy/fill; shared: memory.init/data.drop)
#                         runs on wasmrun with the native build's output
#   wasi-check            tests/wasi/check.sh: files and escapes on --dir
#   wasmrun-check         tests/vm/wasmrun/*.wat on wasmrun: non-commands
#                         refused, untimed waits nothing could end trap
#   host-i386             $(O)/host-i386/wasmrun and wasmspec: static,
#                         i686-linux-gnu-gcc, SSE2 arithmetic as the x86
#                         kernel's vm/ (run them with qemu-i386)
#   host-arm              $(O)/host-arm/wasmrun and wasmspec: static,
#                         arm-linux-gnueabihf-gcc, ARMv7-A/VFPv3-D16 as the
#                         ARM kernel's vm/ (run them with qemu-arm)
#   wasm-spec-check-i386, wasm-spec-check-arm, wasm-spec-2.0-check-i386,
#   wasm-spec-2.0-check-arm   wasm-spec-check and wasm-spec-2.0-check with
#                         those builds under QEMU user mode (QEMU_i386,
#                         QEMU_arm), into $(O)/spec-i386, $(O)/spec-2.0-arm
#                         and so on; not part of make check
#   jit-check-i386        the compiler tier (host-i386 builds it in; their
#                         --interp turns it off) against the interpreter,
#                         tests/vm/jit/check.sh
#   jit-check-arm         the same for the ARMv7-A backend (host-arm)
#   jit-fuzz-check, jit-fuzz   the differential fuzzer of the compiler
#                         tier (tools/jitfuzz/rules.mk, included below)
#
# Host tools build at -O2 with -fno-math-errno so sqrt is one instruction
# (vm/fp.h has an exact software sqrt for builds without that flag).

O ?= build
HOSTCC ?= gcc
FUZZCC ?= clang

VM_SRCS := $(sort $(wildcard vm/*.c))
VM_HDRS := $(sort $(wildcard vm/*.h vm/include/vm/*.h))
VM_HOST_CFLAGS ?= -std=gnu11 -O2 -g -Wall -Wextra -Werror -fno-math-errno \
	-Ivm/include
VM_SAN_CFLAGS ?= -std=gnu11 -O1 -g -Wall -Wextra -Werror -fno-math-errno \
	-Ivm/include \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer

WASMRUN_SRCS := tools/wasmrun/main.c tools/wasmrun/host_ops.c \
	tools/wasmrun/threads.c tools/wasmrun/invoke.c tools/wasmrun/host_fs.c
WASMSPEC_SRCS := tools/wasmspec/main.c tools/wasmspec/json.c \
	tests/vm/spec_runner.c tools/wasmrun/host_ops.c
WASMFUZZ_SRCS := tools/wasmfuzz/fuzz.c tools/wasmrun/host_ops.c \
	tools/wasmfuzz/gen_code.c tools/wasmfuzz/gen_expr.c \
	tools/wasmfuzz/gen_simd_ops.c tools/wasmfuzz/wbuf.c
# The run path: the kernel's sequence (run.c) on wasmrun's threads, with
# hooks that touch nothing on the host, and the module generator.
FUZZRUN_COMMON := tools/wasmfuzz/run.c tools/wasmfuzz/hooks.c \
	tools/wasmfuzz/gen.c tools/wasmfuzz/gen_args.c tools/wasmfuzz/gen_stmt.c \
	tools/wasmfuzz/wbuf.c tools/wasmrun/threads.c tools/wasmrun/host_ops.c
WASMFUZZ_RUN_SRCS := tools/wasmfuzz/fuzz_run.c $(FUZZRUN_COMMON)
WASMGEN_SRCS := tools/wasmfuzz/wasmgen.c $(FUZZRUN_COMMON)
VM_TOOL_HDRS := tools/wasmspec/json.h tests/vm/spec_runner.h \
	tools/wasmrun/host_ops.h tools/wasmrun/threads.h tools/wasmrun/invoke.h \
	tools/wasmrun/host_fs.h \
	tools/wasmfuzz/run.h tools/wasmfuzz/hooks.h tools/wasmfuzz/gen.h \
	tools/wasmfuzz/gen_internal.h tools/wasmfuzz/gen_code.h \
	tools/wasmfuzz/gen_code_internal.h \
	tools/wasmfuzz/wbuf.h
FUZZ_CORPUS_DIR ?= $(O)/fuzz-corpus-run

SPEC_2_PASSING ?= tests/vm/core-2.0-passing

.PHONY: all-vm-host wasm-spec-check wasm-spec-check-san wasm-bulk-check \
	wasm-spec-2.0 wasm-spec-2.0-check \
	wasmrun-check wasi-check fuzz-corpus-run \
	host-i386 host-arm wasm-spec-check-i386 wasm-spec-check-arm \
	wasm-spec-2.0-check-i386 wasm-spec-2.0-check-arm jit-check-i386 \
	jit-check-arm

all-vm-host: $(O)/host/wasmrun $(O)/host/wasmspec

$(O)/host/wasmrun: $(VM_SRCS) $(VM_HDRS) $(WASMRUN_SRCS) $(VM_TOOL_HDRS)
	@mkdir -p $(@D)
	$(HOSTCC) $(VM_HOST_CFLAGS) -pthread -o $@ $(VM_SRCS) $(WASMRUN_SRCS)

$(O)/host/wasmspec: $(VM_SRCS) $(VM_HDRS) $(WASMSPEC_SRCS) $(VM_TOOL_HDRS)
	@mkdir -p $(@D)
	$(HOSTCC) $(VM_HOST_CFLAGS) -o $@ $(VM_SRCS) $(WASMSPEC_SRCS)

$(O)/host/wasmrun-san: $(VM_SRCS) $(VM_HDRS) $(WASMRUN_SRCS) $(VM_TOOL_HDRS)
	@mkdir -p $(@D)
	$(HOSTCC) $(VM_SAN_CFLAGS) -pthread -o $@ $(VM_SRCS) $(WASMRUN_SRCS)

$(O)/host/wasmspec-san: $(VM_SRCS) $(VM_HDRS) $(WASMSPEC_SRCS) $(VM_TOOL_HDRS)
	@mkdir -p $(@D)
	$(HOSTCC) $(VM_SAN_CFLAGS) -o $@ $(VM_SRCS) $(WASMSPEC_SRCS)

$(O)/host/wasmfuzz: $(VM_SRCS) $(VM_HDRS) $(WASMFUZZ_SRCS) $(VM_TOOL_HDRS)
	@mkdir -p $(@D)
	$(FUZZCC) -std=gnu11 -O1 -g -fno-math-errno -Ivm/include -DVM_MAX_PAGES=256 \
		-fsanitize=fuzzer,address,undefined -o $@ $(VM_SRCS) \
		$(WASMFUZZ_SRCS)

# Warnings are errors here too (the older wasmfuzz rule predates that).
$(O)/host/wasmfuzz-run: $(VM_SRCS) $(VM_HDRS) $(WASMFUZZ_RUN_SRCS) \
		$(VM_TOOL_HDRS)
	@mkdir -p $(@D)
	$(FUZZCC) -std=gnu11 -O1 -g -fno-math-errno -Ivm/include -DVM_MAX_PAGES=256 \
		-Wall -Wextra -Werror -pthread \
		-fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -o $@ $(VM_SRCS) \
		$(WASMFUZZ_RUN_SRCS)

# Memories capped as in the fuzzers: wasmgen -t runs hostile inputs, and
# 17 threads each growing a memory to 4 GiB would take the machine's RAM.
$(O)/host/wasmgen: $(VM_SRCS) $(VM_HDRS) $(WASMGEN_SRCS) $(VM_TOOL_HDRS)
	@mkdir -p $(@D)
	$(HOSTCC) $(VM_HOST_CFLAGS) -DVM_MAX_PAGES=256 -pthread -o $@ \
		$(VM_SRCS) $(WASMGEN_SRCS)

# Generated modules, then the regressions (tools/wasmfuzz/regress/*.wat:
# what the fuzzer found, as small commands).
fuzz-corpus-run: $(O)/host/wasmgen
	mkdir -p $(FUZZ_CORPUS_DIR)
	$(O)/host/wasmgen $(FUZZ_CORPUS_DIR)
	for f in tools/wasmfuzz/regress/*.wat; do \
		wat2wasm --enable-threads $$f \
			-o $(FUZZ_CORPUS_DIR)/regress-$$(basename $$f .wat).wasm \
			|| exit 1; \
	done

wasm-spec-check: $(O)/host/wasmspec
	WASMSPEC=$(O)/host/wasmspec scripts/run-wasm-spec $(O)/spec

wasm-spec-check-san: $(O)/host/wasmspec-san
	WASMSPEC=$(O)/host/wasmspec-san scripts/run-wasm-spec $(O)/spec

wasm-spec-2.0: $(O)/host/wasmspec
	WASMSPEC=$(O)/host/wasmspec scripts/run-wasm-spec --core-2.0 \
		$(O)/spec-2.0

wasm-spec-2.0-check: $(O)/host/wasmspec
	WASMSPEC=$(O)/host/wasmspec scripts/run-wasm-spec --core-2.0 \
		--require $(SPEC_2_PASSING) $(O)/spec-2.0

wasm-bulk-check: $(O)/host/wasmrun
	WASMRUN=$(O)/host/wasmrun tests/vm/prog/check.sh $(O)

wasmrun-check: $(O)/host/wasmrun
	WASMRUN=$(O)/host/wasmrun tests/vm/wasmrun/check.sh $(O)

wasi-check: $(O)/host/wasmrun
	WASMRUN=$(O)/host/wasmrun tests/wasi/check.sh $(O)

# ------------------------------------------- 32-bit builds under QEMU user
# The VM as the kernels run it (32-bit pointers, their float code
# generation) on Linux, for tests, fuzzing and benchmarks where the kernel
# is too slow a host. Static, so qemu-i386/qemu-arm need no sysroot. The
# float flags are the kernels' ARCH_FPU_CFLAGS (arch/*/toolchain.mk): SSE2
# rather than x87 on i386 (no double rounding); VFPv3-D16 on ARMv7-A,
# Cortex-A15 tuning, ARM state. Two differences change no arithmetic: the
# ARM float ABI is hard here (the armhf libc's) and softfp in the kernel,
# which only moves arguments; and i386 has no -mstackrealign, which the
# kernel needs for its 4-byte-aligned stacks and Linux's 16-byte-aligned
# ones do not. Each ARCH's wasmspec-qemu is a wrapper that runs its
# wasmspec under QEMU_ARCH, for scripts/run-wasm-spec.
VM_CROSS_CFLAGS ?= -std=gnu11 -O2 -g -Wall -Wextra -Werror -fno-math-errno \
	-Ivm/include -static
HOSTCC_i386 ?= i686-linux-gnu-gcc
VM_CFLAGS_i386 ?= -march=i686 -msse -msse2 -mfpmath=sse
QEMU_i386 ?= qemu-i386
HOSTCC_arm ?= arm-linux-gnueabihf-gcc
VM_CFLAGS_arm ?= -march=armv7-a -mtune=cortex-a15 -marm -mfloat-abi=hard \
	-mfpu=vfpv3-d16
QEMU_arm ?= qemu-arm
# The compiler tier's backend per ARCH (docs/vm-compiler.md): its sources
# and the flag that turns it on. An ARCH without one runs the interpreter.
VM_JIT_SRCS_i386 := $(sort $(wildcard vm/jit/*.c)) $(sort $(wildcard vm/jit/x86/*.c))
VM_JIT_CFLAGS_i386 := -DVM_CONFIG_JIT=1
VM_JIT_SRCS_arm := $(sort $(wildcard vm/jit/*.c)) $(sort $(wildcard vm/jit/arm/*.c))
VM_JIT_CFLAGS_arm := -DVM_CONFIG_JIT=1
VM_JIT_HDRS := $(sort $(wildcard vm/jit/*.h vm/jit/*/*.h))

# vm_cross ARCH: host-ARCH and its spec targets.
define vm_cross
host-$(1): $(O)/host-$(1)/wasmrun $(O)/host-$(1)/wasmspec

$(O)/host-$(1)/wasmrun: $(VM_SRCS) $(VM_HDRS) $(WASMRUN_SRCS) $(VM_TOOL_HDRS) \
		$(VM_JIT_SRCS_$(1)) $(VM_JIT_HDRS)
	@mkdir -p $$(@D)
	$$(HOSTCC_$(1)) $$(VM_CROSS_CFLAGS) $$(VM_CFLAGS_$(1)) \
		$$(VM_JIT_CFLAGS_$(1)) -pthread -o $$@ \
		$(VM_SRCS) $(VM_JIT_SRCS_$(1)) $(WASMRUN_SRCS)

$(O)/host-$(1)/wasmspec: $(VM_SRCS) $(VM_HDRS) $(WASMSPEC_SRCS) \
		$(VM_TOOL_HDRS) $(VM_JIT_SRCS_$(1)) $(VM_JIT_HDRS)
	@mkdir -p $$(@D)
	$$(HOSTCC_$(1)) $$(VM_CROSS_CFLAGS) $$(VM_CFLAGS_$(1)) \
		$$(VM_JIT_CFLAGS_$(1)) -o $$@ \
		$(VM_SRCS) $(VM_JIT_SRCS_$(1)) $(WASMSPEC_SRCS)

$(O)/host-$(1)/wasmspec-qemu: $(O)/host-$(1)/wasmspec
	printf '#!/bin/sh\nexec %s "$$$$(dirname "$$$$0")/wasmspec" "$$$$@"\n' \
		'$$(QEMU_$(1))' >$$@
	chmod +x $$@

wasm-spec-check-$(1): $(O)/host-$(1)/wasmspec-qemu
	WASMSPEC=$$< scripts/run-wasm-spec $(O)/spec-$(1)

wasm-spec-2.0-check-$(1): $(O)/host-$(1)/wasmspec-qemu
	WASMSPEC=$$< scripts/run-wasm-spec --core-2.0 \
		--require $$(SPEC_2_PASSING) $(O)/spec-2.0-$(1)
endef
$(foreach a,i386 arm,$(eval $(call vm_cross,$(a))))

# The compiler tier against the interpreter, call by call, on the i386
# build (tests/vm/jit/check.sh); not part of make check yet.
jit-check-i386: $(O)/host-i386/wasmrun $(O)/host-i386/jit-interrupt
	WASMRUN=$< QEMU_i386=$(QEMU_i386) tests/vm/jit/check.sh $(O)
	$(QEMU_i386) $(O)/host-i386/jit-interrupt $(O)/jit-check/ops.wasm \
		$(O)/jit-check/nested.wasm

$(O)/host-i386/jit-interrupt: tools/jitcheck/interrupt.c $(VM_SRCS) $(VM_HDRS) \
		$(VM_JIT_SRCS_i386) $(VM_JIT_HDRS) tools/wasmrun/host_ops.c \
		tools/wasmrun/host_ops.h
	@mkdir -p $(@D)
	$(HOSTCC_i386) $(VM_CROSS_CFLAGS) $(VM_CFLAGS_i386) \
		$(VM_JIT_CFLAGS_i386) -o $@ tools/jitcheck/interrupt.c \
		tools/wasmrun/host_ops.c $(VM_SRCS) $(VM_JIT_SRCS_i386)

# The same checks for the ARMv7-A backend, on the host-arm build.
jit-check-arm: $(O)/host-arm/wasmrun $(O)/host-arm/jit-interrupt \
		$(O)/host-arm/jit-stack
	WASMRUN=$< QEMU=$(QEMU_arm) JIT_MUST_COMPILE="ops calls i64 float bulk shared fold" \
		tests/vm/jit/check.sh $(O)
	$(QEMU_arm) $(O)/host-arm/jit-interrupt $(O)/jit-check/ops.wasm \
		$(O)/jit-check/nested.wasm
	$(QEMU_arm) $(O)/host-arm/jit-stack $(O)/jit-check/stack.wasm

# The native stack limit on inline calls (tools/jitcheck/stack.c).
$(O)/host-arm/jit-stack: tools/jitcheck/stack.c $(VM_SRCS) $(VM_HDRS) \
		$(VM_JIT_SRCS_arm) $(VM_JIT_HDRS) tools/wasmrun/host_ops.c \
		tools/wasmrun/host_ops.h
	@mkdir -p $(@D)
	$(HOSTCC_arm) $(VM_CROSS_CFLAGS) $(VM_CFLAGS_arm) \
		$(VM_JIT_CFLAGS_arm) -o $@ tools/jitcheck/stack.c \
		tools/wasmrun/host_ops.c $(VM_SRCS) $(VM_JIT_SRCS_arm) -pthread

$(O)/host-arm/jit-interrupt: tools/jitcheck/interrupt.c $(VM_SRCS) $(VM_HDRS) \
		$(VM_JIT_SRCS_arm) $(VM_JIT_HDRS) tools/wasmrun/host_ops.c \
		tools/wasmrun/host_ops.h
	@mkdir -p $(@D)
	$(HOSTCC_arm) $(VM_CROSS_CFLAGS) $(VM_CFLAGS_arm) \
		$(VM_JIT_CFLAGS_arm) -o $@ tools/jitcheck/interrupt.c \
		tools/wasmrun/host_ops.c $(VM_SRCS) $(VM_JIT_SRCS_arm)

# The compiler tier's differential fuzzer (jit-fuzz-check, jit-fuzz).
include tools/jitfuzz/rules.mk
