/* The file system's memory in the kernel (see <fs/fs_alloc.h>). */
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
