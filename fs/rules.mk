# fs/: the block cache, FAT32 and the VFS (docs/storage.md). Built into
# every kernel and into the host test binary; tests/fs holds the suites.
FS_SRCS := $(sort $(wildcard fs/*.c))
KSRCS += $(FS_SRCS)
# The host's tests take memory from the C library (fs/fs_alloc.h).
HOST_UNITS += $(filter-out fs/fs_alloc.c,$(FS_SRCS))
