/*
 * fs/include/fs/fs_alloc.h: where the file system's memory comes from.
 * The kernel's malloc in the kernel; the C library's in the host tests
 * and tools, which have no kernel heap set up (fs/fs_alloc.c, built both
 * ways).
 */
#ifndef FS_FS_ALLOC_H
#define FS_FS_ALLOC_H

#include <stddef.h>

void *fs_alloc(size_t size);
/* Zeroed; NULL if n * size overflows. */
void *fs_zalloc(size_t n, size_t size);
void fs_free(void *p);

#endif
