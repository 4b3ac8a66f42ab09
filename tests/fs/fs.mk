# The FAT code against the real tools (tests/fs/README.md):
#
#   make fs-check [O=DIR]
#
# builds fstool (tests/fs/host: fs/ on a disk image file, with ASan and
# UBSan, from the host test objects) and runs tests/fs/fs-check, which
# needs mkfs.fat, fsck.fat and mtools (scripts/install-deps).

FSTOOL := $(HOST_O)/fstool
FSTOOL_OBJS := $(patsubst %.c,$(HOST_O)/obj/%.o,\
	$(filter-out fs/fs_alloc.c fs/vfs%,$(FS_SRCS)) lib/string.c lib/err.c) \
	$(HOST_O)/support/fs/fs_alloc.o

$(FSTOOL): $(wildcard tests/fs/host/*.c tests/fs/host/*.h) $(FSTOOL_OBJS)
	@echo "  HOSTLD  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Wno-format-truncation -Ifs/include \
		-Idrivers/include \
		-idirafter lib/include -o $@ \
		$(wildcard tests/fs/host/*.c) $(FSTOOL_OBJS)

.PHONY: fs-check
fs-check: $(FSTOOL)
	$(Q)tests/fs/fs-check $(FSTOOL) $(HOST_O)/fs-check
