# fs/: the block cache, FAT32 and the VFS (docs/storage.md). Built into
# every kernel and into the host test binary; tests/fs holds the suites.
FS_SRCS := $(sort $(wildcard fs/*.c))
KSRCS += $(FS_SRCS)
# On the host fs_alloc.c is support code (the C library's memory:
# tests/host.mk).
# vfs_disks.c looks devices up in the drivers' list, which is kernel-only.
HOST_UNITS += $(filter-out fs/fs_alloc.c fs/vfs_disks.c,$(FS_SRCS))
