# In-kernel tests: the framework runner and every suite. Suites under
# tests/kernel/ need the real kernel (arch seam, linker tables) and are not
# built for the host; all others run on both. tests/vm/ joins once vm/ is
# part of the kernel build.
ifeq ($(CONFIG_KTEST),y)
KSRCS += tests/framework/ktest.c
KSRCS += $(sort $(wildcard tests/kernel/*.c))
KSRCS += $(filter-out tests/framework/% tests/kernel/% tests/host/% tests/vm/%,\
	$(sort $(wildcard tests/*/*.c)))
endif
