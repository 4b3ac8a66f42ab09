/*
 * The file system's memory (see <fs/fs_alloc.h>). One file for both
 * builds: in the kernel <mm/malloc.h>'s malloc is the kernel's; the host
 * tests and fstool compile this file as support code, without the prelude
 * that renames malloc to the kernel allocator under test, so the same
 * declarations bind to the C library's (tests/host.mk, HOST_SUPPORT).
 */
#include <fs/fs_alloc.h>
#include <mm/malloc.h>

void *fs_alloc(size_t size)
{
	return malloc(size);
}

void *fs_zalloc(size_t n, size_t size)
{
	return calloc(n, size);
}

void fs_free(void *p)
{
	free(p);
}
