# ARM toolchain: Debian's arm-none-eabi GCC, or clang/ld.lld with LLVM=1.
# The kernel proper is soft-float ARM state (no VFP registers touched, so
# IRQ handlers never clobber a thread's FPU state); arch/arm/fpu.S switches
# to VFP for arch_fpu_save/restore only.
CROSS_COMPILE ?= arm-none-eabi-

CLANG_TARGET := --target=armv7a-none-eabi
ARCH_CFLAGS := -march=armv7-a -mtune=cortex-a15 -marm -mfloat-abi=soft \
	-mabi=aapcs -fno-asynchronous-unwind-tables -fno-unwind-tables
ARCH_ASFLAGS := -march=armv7-a -marm -mfloat-abi=soft

# libgcc (64-bit division, __aeabi_*) from the GCC cross toolchain, for both
# GCC and LLVM=1 builds: the soft-float ARMv7-A multilib.
LIBGCC_CC := $(CROSS_COMPILE)gcc
LIBGCC_FLAGS := -march=armv7-a -marm -mfloat-abi=soft

# Code that computes with floating point (the VM) uses VFPv3 with the
# soft-float calling convention, link-compatible with the rest.
ARCH_FPU_CFLAGS := -mfloat-abi=softfp -mfpu=vfpv3-d16
