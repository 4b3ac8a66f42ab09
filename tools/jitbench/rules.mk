# tools/jitbench/rules.mk: scripts/bench-jit's builds, read together with
# vm/host.mk (make -f vm/host.mk -f tools/jitbench/rules.mk), whose
# cross compilers and flags they use:
#   $(O)/host-ARCH/compile-time   tools/jitbench/compile_time.c with the
#                                 VM and ARCH's backend (host-i386,
#                                 host-arm), static
#   $(O)/bench/jit/ARCH/P.native  ../shared/bench/wasm/P.c, static -O2,
#                                 with the flags the VM's ARCH build has
#                                 (SSE2 arithmetic on i386, VFPv3-D16 on
#                                 ARM), so native and compiled code use
#                                 the same floating-point unit

JITBENCH_SHARED ?= ../shared/bench/wasm

define jitbench_arch
$(O)/host-$(1)/compile-time: tools/jitbench/compile_time.c $(VM_SRCS) \
		$(VM_HDRS) $(VM_JIT_SRCS_$(1)) $(VM_JIT_HDRS) \
		tools/wasmrun/host_ops.c tools/wasmrun/host_ops.h
	@mkdir -p $$(@D)
	$$(HOSTCC_$(1)) $$(VM_CROSS_CFLAGS) $$(VM_CFLAGS_$(1)) \
		$$(VM_JIT_CFLAGS_$(1)) -o $$@ tools/jitbench/compile_time.c \
		tools/wasmrun/host_ops.c $(VM_SRCS) $(VM_JIT_SRCS_$(1))

$(O)/bench/jit/$(1)/%.native: $(JITBENCH_SHARED)/%.c $(JITBENCH_SHARED)/bench.h
	@mkdir -p $$(@D)
	$$(HOSTCC_$(1)) -static -O2 $$(VM_CFLAGS_$(1)) -o $$@ $$<
endef
$(foreach a,i386 arm,$(eval $(call jitbench_arch,$(a))))
