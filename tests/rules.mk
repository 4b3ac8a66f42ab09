# In-kernel tests: the framework runner and the suites' directories, listed
# explicitly so a directory joins the kernel when its subsystem does.
# Directories in KTEST_KERNEL_ONLY, and files in KTEST_KERNEL_ONLY_FILES,
# need the real kernel (arch seam, linker tables) and are not built for the
# host (tests/host.mk). A platform's own tests live in platform/*/tests.
KTEST_DIRS := tests/lib tests/cmdline tests/lowmem tests/mm tests/pmm \
	tests/ramdisk tests/vm tests/tlsf tests/kheap tests/ktest tests/shell tests/fs
KTEST_KERNEL_ONLY := tests/kernel tests/sched tests/sync tests/smp tests/program tests/fuzz
KTEST_KERNEL_ONLY_FILES := tests/shell/shell_cmd_test.c tests/vm/code_kernel.c
# Host-only by default: the SIMD spec tables (tests/vm/simd_cases.h, about
# 350 KiB in the image) left the 32 MiB x86 boot too little free memory for
# the program suite's three programs. `make KTEST_SIMD_TABLES=1` puts them
# in the kernel (they pass there on x86 and ARM, gcc and clang).
KTEST_HOST_ONLY_FILES := $(if $(filter 1,$(KTEST_SIMD_TABLES)),,tests/vm/simd_test.c)
# The compiler's register cache: kernels link it only with the compiler.
KTEST_HOST_ONLY_FILES += tests/vm/jit_regcache_test.c
# Host threads (pthreads) racing on a ticket lock; in the kernel the smp
# suite races processes on every CPU instead.
KTEST_HOST_ONLY_FILES += tests/lib/ticket_lock_contend_test.c

ifeq ($(CONFIG_KTEST),y)
KSRCS += tests/framework/ktest.c
KSRCS += $(filter-out $(KTEST_HOST_ONLY_FILES),\
	$(sort $(foreach d,$(KTEST_DIRS) $(KTEST_KERNEL_ONLY),$(wildcard $(d)/*.c))))
endif

# The spec .wast files the `wasm_spec` suite runs in the kernel (and in the
# host test binary), compiled into C by scripts/gen-spec-tests; the choice
# and what is left out are explained in docs/vm.md. SPEC_SUITE, the core
# folder of a WebAssembly/testsuite checkout, may be set in the environment
# or on the command line (scripts/run-wasm-spec reads the same variable).
SPEC_SUITE ?= ../shared/wasm-testsuite/core
# Files whose 2.0 version is in SPEC_WAST_2 below (i64, select, fac, call,
# br, loop, linking, imports, exports, elem, global, binary,
# binary-leb128, data, unreached-invalid) run in that form only: the 1.0
# versions, which check 1.0's feature gates, run on the host
# (wasm-spec-check), and the kernel's 32 MiB x86 boot has no room for both.
SPEC_WAST := i32 f32 f64 int_exprs int_literals float_misc float_memory \
	float_literals const endianness \
	block if br_if switch return nop unreachable unwind labels \
	stack func func_ptrs forward break-drop local_get \
	local_set local_tee type \
	memory memory_trap memory_size memory_redundancy address load store \
	align start names traps custom \
	utf8-custom-section-id utf8-import-field utf8-import-module
SPEC_CASES := $(O)/include/generated/wasm_spec_cases.h
SPEC_WAST_FILES := $(patsubst %,$(SPEC_SUITE)/%.wast,$(SPEC_WAST))

# The 2.0 suite's files the same suite runs (cases core2_FILE), converted
# and run with the 2.0 features (scripts/gen-spec-tests --core-2.0); the
# choice is explained in docs/vm.md. SPEC_SUITE_2 as for run-wasm-spec.
SPEC_SUITE_2 ?= ../shared/wasm-testsuite/core-2.0
SPEC_WAST_2 := ref_func ref_null select table table-sub table_get table_set \
	table_size table_grow table_fill table_init elem bulk global linking \
	imports exports binary binary-leb128 data unreached-invalid \
	unreached-valid memory_init memory_fill fac call br loop i64
# SIMD: 18 of the 53 simd_* files, the smallest (loads and stores in every
# form, lanes, alignment, addresses, the pairwise and q15 ops): with them
# the x86 kernel still boots `test` at 32M (docs/vm.md, "128-bit SIMD").
SPEC_WAST_2 += simd_address simd_align simd_load simd_load_extend \
	simd_load_splat simd_load_zero simd_load16_lane simd_load32_lane \
	simd_load64_lane simd_store simd_store8_lane simd_store16_lane \
	simd_store32_lane simd_store64_lane simd_i64x2_arith2 \
	simd_i16x8_extadd_pairwise_i8x16 simd_i32x4_extadd_pairwise_i16x8 \
	simd_i16x8_q15mulr_sat_s
SPEC_CASES_2 := $(O)/include/generated/wasm_spec2_cases.h
SPEC_WAST_2_FILES := $(patsubst %,$(SPEC_SUITE_2)/%.wast,$(SPEC_WAST_2))

# A missing file stops the build (and so the suite) with this message,
# rather than leaving a suite that runs fewer files, or none, and passes.
SPEC_WAST_MISSING := $(filter-out $(wildcard $(SPEC_WAST_FILES) \
	$(SPEC_WAST_2_FILES)),$(SPEC_WAST_FILES) $(SPEC_WAST_2_FILES))
$(SPEC_WAST_MISSING):
	@echo "error: $@ is missing: the wasm_spec suite needs the spec" \
		"tests in SPEC_SUITE=$(SPEC_SUITE) (WebAssembly/testsuite," \
		"folder core)" >&2
	@false

$(SPEC_CASES): scripts/gen-spec-tests $(SPEC_WAST_FILES) tests/rules.mk
	@echo "  GEN     $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)scripts/gen-spec-tests $@ $(SPEC_WAST_FILES)

$(SPEC_CASES_2): scripts/gen-spec-tests $(SPEC_WAST_2_FILES) tests/rules.mk
	@echo "  GEN     $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)scripts/gen-spec-tests --core-2.0 $@ $(SPEC_WAST_2_FILES)

ifeq ($(CONFIG_KTEST),y)
$(O)/obj/tests/vm/spec_test.o: $(SPEC_CASES) $(SPEC_CASES_2)
endif
