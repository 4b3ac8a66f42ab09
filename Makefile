# Top-level Makefile.
#
#   make [O=DIR]                 build the configured kernel (x86_defconfig if none)
#   make <name>_defconfig        configure from configs/<name>_defconfig
#   make menuconfig | olddefconfig | savedefconfig
#   make run | debug | check | host | host-tests | bench | clean
#   make LLVM=1 ...              build with clang and ld.lld
#   make CROSS_COMPILE=prefix-   use another cross toolchain
#
# Every output goes below $(O) (default build/), so several configurations
# (e.g. O=b/x86 and O=b/arm) build side by side from one source tree.

O ?= build
override O := $(patsubst %/,%,$(O))
srctree := $(CURDIR)
export O

V ?= 0
ifeq ($(V),1)
Q :=
else
Q := @
endif

KCONFIG_CONFIG := $(O)/.config
KCONF := KCONFIG_CONFIG=$(KCONFIG_CONFIG) kconfig-conf
KMCONF := KCONFIG_CONFIG=$(KCONFIG_CONFIG) kconfig-mconf

DEFCONFIGS := $(notdir $(wildcard configs/*_defconfig))

config-goals := menuconfig olddefconfig savedefconfig %_defconfig help \
	clean distclean install-deps host host-tests check bench programs fuzz \
	fuzz-ramdisk fs-check bench-jit
# Goals that do not need a kernel configuration.
no-config := $(filter $(config-goals) $(DEFCONFIGS),$(MAKECMDGOALS))
need-config := $(filter-out $(config-goals) $(DEFCONFIGS) %_defconfig,$(MAKECMDGOALS))

.PHONY: all
all:

# ---------------------------------------------------------------- configuration

$(O):
	$(Q)mkdir -p $@

%_defconfig: | $(O) tools-kconfig
	$(Q)if [ ! -f configs/$@ ]; then \
		echo "error: no configuration named '$@'." >&2; \
		echo "available: $(DEFCONFIGS)" >&2; exit 1; fi
	$(Q)$(KCONF) --defconfig=configs/$@ Kconfig >/dev/null
	@echo "  CONFIG  $(O)/.config from configs/$@"

.PHONY: menuconfig olddefconfig savedefconfig tools-kconfig
menuconfig: | $(O) tools-kconfig
	$(Q)if [ ! -f $(KCONFIG_CONFIG) ]; then \
		$(KCONF) --defconfig=configs/x86_defconfig Kconfig >/dev/null; fi
	$(Q)$(KMCONF) Kconfig

olddefconfig: | $(O) tools-kconfig
	$(Q)$(KCONF) --olddefconfig Kconfig >/dev/null
	@echo "  CONFIG  $(O)/.config updated"

savedefconfig: | $(O) tools-kconfig
	$(Q)$(KCONF) --savedefconfig=$(O)/defconfig Kconfig
	@echo "  CONFIG  minimal configuration written to $(O)/defconfig"

tools-kconfig:
	$(Q)command -v kconfig-conf >/dev/null || scripts/install-deps

# With no .config, make uses x86_defconfig (the rule below runs, and make
# restarts with the configuration included).
$(KCONFIG_CONFIG): | $(O) tools-kconfig
	@echo "  CONFIG  no $(KCONFIG_CONFIG): using configs/x86_defconfig"
	$(Q)$(KCONF) --defconfig=configs/x86_defconfig Kconfig >/dev/null

ifneq ($(need-config)$(if $(MAKECMDGOALS),,default),)
# After a pull that changed a Kconfig file, bring .config up to date before
# reading it, so this very run sees new symbols (Linux's syncconfig).
$(shell if [ -f $(KCONFIG_CONFIG) ] && [ -n "$$(find Kconfig platform/*/Kconfig \
	-newer $(KCONFIG_CONFIG) 2>/dev/null)" ]; then \
	$(KCONF) --olddefconfig Kconfig >/dev/null; fi)
include $(KCONFIG_CONFIG)
endif

# ---------------------------------------------------------------- toolchain

ARCH := $(patsubst "%",%,$(CONFIG_ARCH))
PLATFORM := $(patsubst "%",%,$(CONFIG_PLATFORM))

# Flags shared by every kernel object, whatever the architecture.
KCFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-pie -fno-stack-protector \
	-fno-omit-frame-pointer -fno-common -fno-strict-aliasing \
	-Wall -Wextra -Werror -Wno-unused-parameter -Wmissing-prototypes \
	-Wstrict-prototypes -Wshadow=local -Wvla
KCPPFLAGS := -I$(O)/include -Ikernel/include -Ilib/include -Iarch/include \
	-Imm/include -Ivm/include -Iarch/$(ARCH)/include \
	-Iplatform/$(PLATFORM)/include -Itests/include -Idrivers/include -Ifs/include \
	-include $(O)/include/generated/autoconf.h
KASFLAGS := -D__ASSEMBLY__
KLDFLAGS := -nostdlib -static --build-id=none -z max-page-size=4096 \
	-z noexecstack --fatal-warnings

ifneq ($(ARCH),)
include arch/$(ARCH)/toolchain.mk
endif

ifeq ($(LLVM),1)
CC := clang $(CLANG_TARGET)
LD := ld.lld
OBJCOPY := llvm-objcopy
NM := llvm-nm
KCFLAGS := $(subst -Wshadow=local,-Wshadow,$(KCFLAGS))
else
CC := $(CROSS_COMPILE)gcc
LD := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
NM := $(CROSS_COMPILE)nm
endif

# Only the compiler's own freestanding headers (stdint.h, stdarg.h, ...) and
# ours: never a C library's, which a cross compiler may still find.
KCPPFLAGS += -nostdinc -isystem $(shell $(CC) -print-file-name=include)

# ---------------------------------------------------------------- sources

# Each directory's rules.mk appends to these lists.
KSRCS :=
include lib/rules.mk
include kernel/rules.mk
include mm/rules.mk
include drivers/rules.mk
include fs/rules.mk
include tests/rules.mk
include programs/rules.mk
include tools/wasmfuzz/rules.mk
include tools/jitbench/kernel.mk

# The VM, and the kernel's embedding of it. Only these files use the FPU;
# the scheduler saves FPU state per process.
VM_KSRCS := $(sort $(wildcard vm/*.c))
# The compiler tier: the neutral driver and the backend of the kernel's
# CPU (vm/jit/$(ARCH)/, as vm/host.mk picks one for host-i386/host-arm).
ifeq ($(CONFIG_VM_COMPILER),y)
VM_KSRCS += $(sort $(wildcard vm/jit/*.c)) \
	$(sort $(wildcard vm/jit/$(ARCH)/*.c))
KCPPFLAGS += -DVM_CONFIG_JIT=1
endif
KSRCS += $(VM_KSRCS) kernel/program.c kernel/program_thread.c \
	kernel/program_shm.c kernel/program_wait.c kernel/program_mem.c \
	kernel/program_code.c
$(foreach f,$(VM_KSRCS) $(wildcard tests/vm/*.c),$(eval CFLAGS_$(f) := $$(ARCH_FPU_CFLAGS)))
ifneq ($(ARCH),)
include arch/$(ARCH)/rules.mk
include platform/$(PLATFORM)/rules.mk
endif

KOBJS := $(patsubst %,$(O)/obj/%.o,$(basename $(KSRCS)))
AUTOCONF := $(O)/include/generated/autoconf.h

KCONFIG_FILES := Kconfig $(wildcard platform/*/Kconfig)

# A Kconfig change (new symbols after a pull) updates .config with their
# defaults first, as Linux's syncconfig does.
$(AUTOCONF): $(KCONFIG_CONFIG) $(KCONFIG_FILES) scripts/kconfig-autoconf
	$(Q)mkdir -p $(dir $@)
	$(Q)$(KCONF) --olddefconfig Kconfig >/dev/null
	$(Q)scripts/kconfig-autoconf $(KCONFIG_CONFIG) > $@.tmp && mv $@.tmp $@

# Every object depends on the configuration header and on the files that set
# compiler flags, so changing either rebuilds what it must (coarsely: the
# kernel is small).
FLAG_FILES := Makefile arch/$(ARCH)/toolchain.mk
$(O)/obj/%.o: %.c $(AUTOCONF) $(FLAG_FILES) | toolchain-check
	@echo "  CC      $<"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(KCPPFLAGS) $(KCFLAGS) $(ARCH_CFLAGS) $(CFLAGS_$<) -MMD -MP -c $< -o $@

$(O)/obj/%.o: %.S $(AUTOCONF) $(FLAG_FILES) | toolchain-check
	@echo "  AS      $<"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(KCPPFLAGS) $(KASFLAGS) $(ARCH_ASFLAGS) -MMD -MP -c $< -o $@

.PHONY: toolchain-check
toolchain-check:
	$(Q)command -v $(firstword $(CC)) >/dev/null || scripts/install-deps
	$(Q)command -v $(firstword $(CC)) >/dev/null || { \
		echo "error: compiler '$(firstword $(CC))' not found" >&2; exit 1; }

-include $(KOBJS:.o=.d)

# Link twice: the first link gives the addresses, from which the symbol table
# (for exception reports) is generated; the table's section is placed last by
# the linker script so adding it moves no other symbol.
KSYMS_EMPTY := $(O)/obj/ksyms-empty.o
KSYMS := $(O)/obj/ksyms.o
LIBGCC = $(shell $(LIBGCC_CC) $(LIBGCC_FLAGS) -print-libgcc-file-name)

$(KSYMS_EMPTY): scripts/gen-ksyms $(AUTOCONF)
	$(Q)mkdir -p $(dir $@)
	$(Q)scripts/gen-ksyms /dev/null > $(O)/obj/ksyms-empty.S
	$(Q)$(CC) $(KCPPFLAGS) $(KASFLAGS) $(ARCH_ASFLAGS) -c $(O)/obj/ksyms-empty.S -o $@

$(O)/kernel.elf: $(KOBJS) $(KSYMS_EMPTY) $(ARCH_LDSCRIPT) scripts/gen-ksyms
	@echo "  LD      $@"
	$(Q)$(LD) $(KLDFLAGS) -T $(ARCH_LDSCRIPT) -o $@.pass1 $(KOBJS) $(KSYMS_EMPTY) $(LIBGCC)
	$(Q)$(NM) -n $@.pass1 | scripts/gen-ksyms - > $(O)/obj/ksyms.S
	$(Q)$(CC) $(KCPPFLAGS) $(KASFLAGS) $(ARCH_ASFLAGS) -c $(O)/obj/ksyms.S -o $(KSYMS)
	$(Q)$(LD) $(KLDFLAGS) -T $(ARCH_LDSCRIPT) -o $@ $(KOBJS) $(KSYMS) $(LIBGCC)
	$(Q)$(NM) -n $@ | scripts/gen-ksyms --compare $(O)/obj/ksyms.S

all: $(O)/kernel.elf $(ARCH_IMAGES)

# ---------------------------------------------------------------- running

# The machine `make run` boots has CPUS processors (the kernel starts them
# all with CONFIG_SMP; `nosmp` on its command line keeps it to one).
CPUS ?= 2

# The data disk `make run` attaches (virtio-blk; the kernel mounts its
# FAT32 volume at /data): made on first use and kept, so files written in
# /data survive a reboot (README: getting files on and off it with mtools).
RUN_DISK ?= $(O)/data.img
RUN_DISK_MB ?= 64

.PHONY: run debug
run: all $(RUN_DISK)
	$(Q)scripts/qemu --arch $(ARCH) --o $(O) --boot $(ARCH_RUN_BOOT) \
		--smp $(CPUS) --disk $(RUN_DISK) --interactive

$(RUN_DISK):
	@echo "  DISK    $@ ($(RUN_DISK_MB) MiB, FAT32, for /data)"
	$(Q)rm -f $@.tmp && truncate -s $(RUN_DISK_MB)M $@.tmp && \
		mkfs.fat -F 32 -n DATA $@.tmp >/dev/null && mv $@.tmp $@

debug: all
	$(Q)scripts/debug --arch $(ARCH) --o $(O)

# ---------------------------------------------------------------- host side

HOSTCC ?= gcc
include tests/host.mk
include tests/jit/jit.mk
include tests/fs/fs.mk
-include vm/host.mk

# The host tools: wasmrun and wasmspec (vm/host.mk) in $(O)/host.
.PHONY: host
host: all-vm-host

.PHONY: check bench fuzz install-deps clean distclean help
check:
	$(Q)scripts/check

bench:
	$(Q)O=$(O) scripts/bench

# The allocators alone, beside references built into the same binary when
# their sources are given (scripts/bench-alloc): TLSF_SRC= DLMALLOC_SRC=
# MIMALLOC_SRC= ROUNDS= RUNS=.
.PHONY: bench-alloc
bench-alloc:
	$(Q)O=$(O) TLSF_SRC=$(TLSF_SRC) DLMALLOC_SRC=$(DLMALLOC_SRC) \
		MIMALLOC_SRC=$(MIMALLOC_SRC) scripts/bench-alloc

fuzz:
	$(Q)O=$(O) scripts/fuzz

# Every boot path at 1, 2 and 4 CPUs (by hand; make check boots a subset).
.PHONY: check-smp-matrix
check-smp-matrix:
	$(Q)O=$(O) scripts/smp-matrix

install-deps:
	$(Q)scripts/install-deps

clean:
	rm -rf $(O)/obj $(O)/host $(O)/bench $(O)/spec $(O)/kernel.elf* \
		$(O)/os.iso $(O)/kernel.bin $(O)/uboot-disk.img $(O)/boot.scr \
		$(O)/cmdline.txt $(O)/include

distclean:
	rm -rf $(O)

help:
	@echo "Configuration: $(DEFCONFIGS) menuconfig olddefconfig savedefconfig"
	@echo "Build:         all (default) [O=DIR] [LLVM=1] [CROSS_COMPILE=prefix-]"
	@echo "Run:           run [CPUS=N] debug"
	@echo "Test:          check host-tests check-smp-matrix"

# The scheduler's costs in QEMU beside two Linux threads (scripts/bench-kernel).
.PHONY: bench-kernel bench-wasm-kernel
bench-kernel:
	$(Q)O=$(O) scripts/bench-kernel

# The wasm benchmark programs in the kernel beside host runs (also part of
# `make bench`).
bench-wasm-kernel:
	$(Q)O=$(O) scripts/bench-wasm-kernel

# File throughput through a program in both kernels beside wasmrun on a
# host directory (scripts/bench-storage; also part of `make bench`).
.PHONY: bench-storage
bench-storage:
	$(Q)O=$(O) scripts/bench-storage

# The compiler tier against native code and the interpreter under
# qemu-i386 and qemu-arm (scripts/bench-jit; also part of `make bench`).
.PHONY: bench-jit
bench-jit:
	$(Q)O=$(O) ROUNDS=$(ROUNDS) scripts/bench-jit
