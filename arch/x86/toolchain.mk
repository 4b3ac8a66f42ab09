# x86 toolchain: i686-elf-gcc when present, else Debian's i686-linux-gnu-gcc
# driven freestanding (the Makefile's KCFLAGS carry -ffreestanding -fno-pie
# -fno-stack-protector, and linking is -nostdlib).
ifeq ($(origin CROSS_COMPILE),undefined)
ifneq ($(shell command -v i686-elf-gcc 2>/dev/null),)
CROSS_COMPILE := i686-elf-
else
CROSS_COMPILE := i686-linux-gnu-
endif
endif

CLANG_TARGET := --target=i686-unknown-none-elf
# The kernel proper keeps its hands off the FPU/SSE registers, so interrupt
# handlers never clobber a process's floating-point state; code that needs
# SSE2 (the VM) opts in per directory.
ARCH_CFLAGS := -m32 -march=i686 -mno-sse -mno-sse2 -mno-mmx -mno-80387 \
	-mno-red-zone -fno-asynchronous-unwind-tables
ARCH_ASFLAGS := -m32
KLDFLAGS += -m elf_i386

# libgcc (64-bit division and friends) from the GCC cross toolchain, for
# both GCC and LLVM=1 builds.
LIBGCC_CC := $(CROSS_COMPILE)gcc
LIBGCC_FLAGS := -m32

# Code that computes with floating point (the VM) uses SSE2, not x87, so
# results are not double-rounded: IEEE semantics exactly, as WebAssembly
# requires. x87 stays enabled only because the i386 ABI returns floating
# values in st(0).
#
# -mstackrealign: GCC and clang assume the i386 stack 16-byte aligned at
# every call and keep SSE temporaries (a v128 of the SIMD handlers) there
# with movdqa; the kernel's stacks (process stacks, interrupt frames) only
# guarantee 4 bytes, so such a temporary faulted (#GP in x_i8x16_add in the
# fuzz boot). Functions that need the alignment realign their own frame.
ARCH_FPU_CFLAGS := -m80387 -msse -msse2 -mfpmath=sse -mstackrealign
