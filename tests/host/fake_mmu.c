/*
 * A real MMU for host tests. "Physical memory" is a memfd; the arch_mmu_*
 * calls map its pages into a reserved window of the test process with
 * mmap(MAP_FIXED | MAP_SHARED), so two virtual pages mapping one frame
 * really alias, unmapped pages really fault, and mm/ code that maps, copies
 * and unmaps runs unchanged under AddressSanitizer.
 *
 * Virtual addresses handed to arch_mmu_* must lie in
 * [host_va_base, host_va_base + HOST_VA_SIZE); physical addresses in
 * [0, HOST_PHYS_SIZE).
 */
#define _GNU_SOURCE
#include <arch/irq.h>
#include <arch/mmu.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fake_mmu.h"

int host_irqs_enabled = 1;
uintptr_t host_va_base;
static int phys_fd = -1;
static unsigned char *mapped; /* one flag per virtual page */
static paddr_t *frame_of;     /* the frame each mapped page shows */

static void fake_mmu_setup(void)
{
	if (phys_fd >= 0)
		return;
	phys_fd = memfd_create("fake-phys", 0);
	if (phys_fd < 0 || ftruncate(phys_fd, HOST_PHYS_SIZE) != 0) {
		perror("fake_mmu: memfd");
		abort();
	}
	/* Below 2^44, the largest virtual address the PMM's reverse map
	 * records on a 64-bit host, and below 2 GiB, the only application
	 * memory AddressSanitizer leaves under its shadow on x86-64: try a few
	 * fixed spots there, which the loader and glibc leave empty. */
	void *va = MAP_FAILED;
	for (uintptr_t hint = 0x10000000ul;
	     hint + HOST_VA_SIZE <= 0x7fff0000ul && va == MAP_FAILED;
	     hint += 0x10000000ul) {
		va = mmap((void *)hint, HOST_VA_SIZE, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
				  MAP_FIXED_NOREPLACE,
			  -1, 0);
	}
	if (va == MAP_FAILED) {
		perror("fake_mmu: reserve");
		abort();
	}
	host_va_base = (uintptr_t)va;
	mapped = calloc(HOST_VA_SIZE / PAGE_SIZE, 1);
	frame_of = calloc(HOST_VA_SIZE / PAGE_SIZE, sizeof(*frame_of));
	if (!mapped || !frame_of)
		abort();
}

void fake_mmu_reset(void)
{
	fake_mmu_setup();
	/* Drop every mapping and zero physical memory. */
	if (mmap((void *)host_va_base, HOST_VA_SIZE, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1,
		 0) == MAP_FAILED)
		abort();
	for (size_t i = 0; i < HOST_VA_SIZE / PAGE_SIZE; i++)
		mapped[i] = 0;
	if (ftruncate(phys_fd, 0) != 0 ||
	    ftruncate(phys_fd, HOST_PHYS_SIZE) != 0)
		abort();
}

static bool in_window(vaddr_t va, size_t count)
{
	fake_mmu_setup();
	return va >= host_va_base && count <= HOST_VA_SIZE / PAGE_SIZE &&
	       va - host_va_base <= HOST_VA_SIZE - count * PAGE_SIZE;
}

int arch_mmu_map(vaddr_t va, paddr_t pa, size_t count, unsigned flags)
{
	if (va % PAGE_SIZE || pa % PAGE_SIZE || !count ||
	    !in_window(va, count) || pa + count * PAGE_SIZE > HOST_PHYS_SIZE)
		return -EINVAL;
	size_t first = (va - host_va_base) / PAGE_SIZE;
	for (size_t i = 0; i < count; i++) {
		if (mapped[first + i])
			return -EEXIST;
	}
	int prot = PROT_READ | (flags & MMU_WRITE ? PROT_WRITE : 0);
	if (mmap((void *)va, count * PAGE_SIZE, prot, MAP_SHARED | MAP_FIXED,
		 phys_fd, (off_t)pa) == MAP_FAILED)
		return -ENOMEM;
	for (size_t i = 0; i < count; i++) {
		mapped[first + i] = 1;
		frame_of[first + i] = pa + i * PAGE_SIZE;
	}
	return 0;
}

int arch_mmu_unmap(vaddr_t va, size_t count)
{
	if (va % PAGE_SIZE || !in_window(va, count))
		return -EINVAL;
	size_t first = (va - host_va_base) / PAGE_SIZE;
	if (mmap((void *)va, count * PAGE_SIZE, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1,
		 0) == MAP_FAILED)
		return -ENOMEM;
	for (size_t i = 0; i < count; i++)
		mapped[first + i] = 0;
	return 0;
}

int arch_mmu_query(vaddr_t va, paddr_t *pa, unsigned *flags)
{
	if (!in_window(va & ~(vaddr_t)(PAGE_SIZE - 1), 1))
		return -ENOENT;
	size_t page = (va - host_va_base) / PAGE_SIZE;
	if (!mapped[page])
		return -ENOENT;
	if (pa)
		*pa = frame_of[page] + (va % PAGE_SIZE);
	if (flags)
		*flags = MMU_READ | MMU_WRITE;
	return 0;
}

void arch_mmu_flush(vaddr_t va, size_t count)
{
}
