/* The file system's memory on the host: the C library's (the host tests
 * set up no kernel heap). See <fs/fs_alloc.h>. */
#include <fs/fs_alloc.h>
#include <stdlib.h>

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
