# tools/jitfuzz/rules.mk: the compiler tier's differential fuzzer
# (tools/jitfuzz/jitfuzz.c; docs/vm-compiler.md, "Differential fuzzing").
# Included by vm/host.mk, whose cross-build variables it uses.
#
#   $(O)/host-i386/jitfuzz, $(O)/host-arm/jitfuzz   the fuzzer, built as
#                   those builds' wasmrun (compiler in; memories capped at
#                   16 MiB as in the other fuzzers); run under QEMU user
#   jit-fuzz-check  make check's short run: on each ISA, the loader
#                   fuzzer's corpus (tools/wasmfuzz/corpus: modules and
#                   gen_code recipes) and JIT_FUZZ_CHECK_MODULES generated
#                   modules from seed 1, a fixed set; reproducers of a
#                   mismatch in $(O)/jit-fuzz-check-ISA
#   jit-fuzz        by hand: ISA=i386|arm (default i386) for DURATION
#                   seconds (default 600) from SEED (default: the time),
#                   reproducers in $(O)/jit-fuzz-ISA, log in
#                   $(O)/jit-fuzz-ISA/log; JIT_FUZZ_FLAGS adds options

JITFUZZ_SRCS := tools/jitfuzz/jitfuzz.c tools/jitfuzz/pair.c \
	tools/jitfuzz/args.c tools/wasmrun/host_ops.c \
	tools/wasmfuzz/gen_code.c tools/wasmfuzz/gen_expr.c \
	tools/wasmfuzz/gen_simd_ops.c tools/wasmfuzz/wbuf.c
JITFUZZ_HDRS := tools/jitfuzz/pair.h tools/jitfuzz/args.h
JIT_FUZZ_CHECK_MODULES ?= 300
JIT_FUZZ_CORPUS ?= tools/wasmfuzz/corpus
ISA ?= i386
DURATION ?= 600
SEED ?= $(shell date +%s)

.PHONY: jit-fuzz-check jit-fuzz

define jitfuzz_cross
$(O)/host-$(1)/jitfuzz: $(JITFUZZ_SRCS) $(JITFUZZ_HDRS) $(VM_SRCS) \
		$(VM_HDRS) $(VM_TOOL_HDRS) $(VM_JIT_SRCS_$(1)) $(VM_JIT_HDRS)
	@mkdir -p $$(@D)
	$$(HOSTCC_$(1)) $$(VM_CROSS_CFLAGS) $$(VM_CFLAGS_$(1)) \
		$$(VM_JIT_CFLAGS_$(1)) -DVM_MAX_PAGES=256 -o $$@ \
		$(JITFUZZ_SRCS) $(VM_SRCS) $(VM_JIT_SRCS_$(1))
endef
$(foreach a,i386 arm,$(eval $(call jitfuzz_cross,$(a))))

# One ISA's share of jit-fuzz-check.
jitfuzz_check = mkdir -p $(O)/jit-fuzz-check-$(1) && \
	echo "jit-fuzz-check $(1):" && \
	$(QEMU_$(1)) $(O)/host-$(1)/jitfuzz -o $(O)/jit-fuzz-check-$(1) \
		-l 100 -n $(JIT_FUZZ_CHECK_MODULES) $(JIT_FUZZ_CORPUS)/*

jit-fuzz-check: $(O)/host-i386/jitfuzz $(O)/host-arm/jitfuzz
	$(call jitfuzz_check,i386)
	$(call jitfuzz_check,arm)

jit-fuzz: $(O)/host-$(ISA)/jitfuzz
	mkdir -p $(O)/jit-fuzz-$(ISA)
	nice -n 19 $(QEMU_$(ISA)) $< -o $(O)/jit-fuzz-$(ISA) -s $(SEED) \
		-t $(DURATION) $(JIT_FUZZ_FLAGS) >$(O)/jit-fuzz-$(ISA)/log 2>&1; \
		s=$$?; tail -n 4 $(O)/jit-fuzz-$(ISA)/log; exit $$s
