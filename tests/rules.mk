# In-kernel tests: the framework runner and the suites' directories, listed
# explicitly so a directory joins the kernel when its subsystem does.
# Directories in KTEST_KERNEL_ONLY need the real kernel (arch seam, linker
# tables) and are not built for the host (tests/host.mk).
KTEST_DIRS := tests/lib tests/cmdline tests/lowmem tests/mm tests/pmm \
	tests/ramdisk tests/vm tests/tlsf tests/kheap tests/ktest tests/shell
KTEST_KERNEL_ONLY := tests/kernel tests/sched tests/sync tests/program $(if $(filter y,$(CONFIG_X86_VESA)),tests/vesa)

ifeq ($(CONFIG_KTEST),y)
KSRCS += tests/framework/ktest.c
KSRCS += $(sort $(foreach d,$(KTEST_DIRS) $(KTEST_KERNEL_ONLY),$(wildcard $(d)/*.c)))
endif
