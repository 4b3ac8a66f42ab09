# lib/: the freestanding C library and the FDT parser.
KSRCS += lib/vsnprintf.c lib/string.c lib/err.c lib/fdt/fdt.c \
	lib/fdt/fdt_cpus.c lib/cpus/acpi.c lib/cpus/mptables.c
HOST_UNITS += lib/vsnprintf.c lib/string.c lib/err.c lib/fdt/fdt.c \
	lib/fdt/fdt_cpus.c lib/cpus/acpi.c lib/cpus/mptables.c

# memset/memcpy must not be "optimised" into calls to themselves.
CFLAGS_lib/string.c := -fno-builtin \
	$(if $(filter 1,$(LLVM)),,-fno-tree-loop-distribute-patterns)
