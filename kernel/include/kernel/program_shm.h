/*
 * The shared linear memories of programs: a named shared-memory area
 * (<kernel/shm.h>, the same areas kernel processes open) seen by the VM as
 * a shared memory with the kernel's wait/notify hooks.
 *
 * The area reserves the memory's maximum (at most CONFIG_PROGRAM_SHM_MAX_MB)
 * when it is created, zero-filled, so growing it never moves it.
 */
#ifndef KERNEL_PROGRAM_SHM_H
#define KERNEL_PROGRAM_SHM_H

#include <kernel/shm.h>
#include <stdint.h>

struct vm_memory;

/*
 * Open (creating on first use) the area `name` as a shared memory of at
 * least `min_pages` pages and at most `max_pages` (64 KiB pages). The
 * handle is registered with the calling process (closed at its exit) and
 * keeps the area and the memory alive. Returns 0 with *h and *mem set, or
 * -EINVAL (an existing area smaller than min_pages, or bad limits),
 * -EBUSY, -ENOMEM, -ENOSYS (no sbrk heap). Process context.
 */
int program_shm_open(const char *name, uint32_t min_pages, uint32_t max_pages,
		     struct shm_handle **h, struct vm_memory **mem);

#endif
