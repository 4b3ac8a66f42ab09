# Host unit tests: the arch-neutral code and its ktest cases, built natively
# with AddressSanitizer and UBSan, run by tests/framework/host_main.c.
#
#   make host-tests [O=DIR]      build and run ($(O)/host/ktest-host)
#   $(O)/host/ktest-host SUITE   run one suite
#
# HOST_UNITS: arch-neutral kernel sources under test (each subsystem adds its
# own), compiled with tests/host/host_prelude.h forced in.

HOST_O := $(O)/host
HOST_CFLAGS := -std=gnu11 -O1 -g -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-Wall -Wextra -Werror -Wno-unused-parameter -Wvla
HOST_CPPFLAGS := -Ikernel/include -Ilib/include -Iarch/include \
	-Itests/host/include -Itests/include -Imm/include -Ivm/include \
	-Idrivers/include -Ifs/include -I$(O)/include

HOST_UNITS += kernel/cmdline.c kernel/printk.c kernel/ramdisk.c kernel/tar.c \
	mm/lowmem.c $(MM_PMM_SRCS) $(MM_KHEAP_SRCS) mm/sbrk.c mm/malloc.c \
	mm/dma.c $(sort $(wildcard vm/*.c))
HOST_UNITS += vm/jit/jit_regcache.c
# The host machine itself (fake MMU, console and panic, test environment):
# plain host code, compiled without the prelude so it uses the C library's
# malloc.
HOST_SUPPORT := tests/host/fake_mmu.c tests/host/mm_testenv_host.c \
	tests/host/host_printk.c tests/host/host_threads.c \
	fs/fs_alloc.c tests/host/code_host.c
HOST_TEST_CASES := $(filter-out $(KTEST_KERNEL_ONLY_FILES),\
	$(sort $(foreach d,$(KTEST_DIRS),$(wildcard $(d)/*.c))))
HOST_KOBJS := $(patsubst %.c,$(HOST_O)/obj/%.o,\
	$(HOST_UNITS) $(HOST_TEST_CASES) tests/framework/ktest.c)

$(HOST_O)/obj/%.o: %.c tests/host/host_prelude.h
	@echo "  HOSTCC  $<"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CPPFLAGS) -include tests/host/host_prelude.h \
		$(HOST_CFLAGS) $(HOSTCFLAGS_$<) -MMD -MP -c $< -o $@

# The spec cases are generated (tests/rules.mk).
$(HOST_O)/obj/tests/vm/spec_test.o: $(SPEC_CASES) $(SPEC_CASES_2)

$(HOST_O)/obj/host_main.o: tests/framework/host_main.c tests/include/ktest.h
	@echo "  HOSTCC  $<"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -Itests/include $(HOST_CFLAGS) -c $< -o $@

HOST_SUPPORT_OBJS := $(patsubst %.c,$(HOST_O)/support/%.o,$(HOST_SUPPORT))

# Host support sees the C library's headers first (no kernel/include).
$(HOST_O)/support/%.o: %.c
	@echo "  HOSTCC  $<"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -Itests/host/include -Iarch/include -Itests/include \
		-Imm/include -Ivm/include -Ifs/include -idirafter kernel/include \
		-idirafter lib/include -DKTEST_HOST=1 \
		-DCONFIG_DMA_MAX_WINDOWS=64 $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(HOST_O)/ktest-host: $(HOST_KOBJS) $(HOST_SUPPORT_OBJS) $(HOST_O)/obj/host_main.o
	@echo "  HOSTLD  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -pthread -o $@ $^

-include $(HOST_KOBJS:.o=.d) $(HOST_SUPPORT_OBJS:.o=.d)

.PHONY: host-tests
host-tests: $(HOST_O)/ktest-host
	$(Q)$(HOST_O)/ktest-host
