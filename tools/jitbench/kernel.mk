# tools/jitbench/kernel.mk: the benchmark programs of ../shared/bench/wasm
# compiled into the kernel as native C (CONFIG_BENCH_NATIVE, off by
# default; scripts/bench-jit's kernel part turns it on in its own build
# directory). With `time run=P.wasm` the kernel runs P's bench_run()
# natively before the program, in the same boot (kernel_native.c). The
# sources are used in place, each renamed (bench_run -> kbench_P) so the
# seven link together; they are the harness's code, not ours, so their
# warnings are not errors here (-w).
JITBENCH_SHARED ?= ../shared/bench/wasm
# Which programs (a build may leave some out: the ARM image must end
# below 0x41000000, arch/arm/kernel.ld, and sieve and qsort have 4 MiB
# of .bss each).
JITBENCH_PROGS ?= fib sieve matmul sha256 qsort bintree strops

ifeq ($(CONFIG_BENCH_NATIVE),y)
KSRCS += tools/jitbench/kernel_native.c \
	$(patsubst %,tools/jitbench/native-%.c,$(JITBENCH_PROGS))
CFLAGS_tools/jitbench/kernel_native.c := $(ARCH_FPU_CFLAGS) \
	-DKBENCH_PROGS="$(foreach p,$(JITBENCH_PROGS),X($(p)))"

# native-P.c does not exist: P.c is compiled from ../shared in place.
# (Read before the Makefile sets AUTOCONF and FLAG_FILES: their values.)
$(O)/obj/tools/jitbench/native-%.o: $(JITBENCH_SHARED)/%.c \
		$(JITBENCH_SHARED)/bench.h tools/jitbench/kinclude/stdlib.h \
		$(O)/include/generated/autoconf.h Makefile \
		arch/$(ARCH)/toolchain.mk | toolchain-check
	@echo "  CC      $<"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(KCPPFLAGS) -Itools/jitbench/kinclude $(KCFLAGS) \
		$(ARCH_CFLAGS) $(ARCH_FPU_CFLAGS) -w -DBENCH_NO_MAIN \
		-Dbench_run=kbench_$* -MMD -MP -c $< -o $@
endif
