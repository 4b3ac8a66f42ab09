/*
 * Device register access for the virtio transports: volatile accesses to
 * uncached device memory (a DMA window or the boot map's device sections),
 * each store preceded by a full fence so ring updates in normal memory are
 * visible before the device is told about them. Both CPUs are
 * little-endian, as virtio 1.x registers are.
 */
#ifndef DRIVERS_VIRTIO_REGS_H
#define DRIVERS_VIRTIO_REGS_H

#include <lib/err.h>
#include <stdint.h>

static inline uint8_t reg_read8(uintptr_t a)
{
	return *(volatile uint8_t *)a;
}

static inline uint16_t reg_read16(uintptr_t a)
{
	return *(volatile uint16_t *)a;
}

static inline uint32_t reg_read32(uintptr_t a)
{
	return *(volatile uint32_t *)a;
}

static inline void reg_write8(uintptr_t a, uint8_t v)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	*(volatile uint8_t *)a = v;
}

static inline void reg_write16(uintptr_t a, uint16_t v)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	*(volatile uint16_t *)a = v;
}

static inline void reg_write32(uintptr_t a, uint32_t v)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	*(volatile uint32_t *)a = v;
}

/* A 64-bit register as two 32-bit halves, low first (4.1.3.1 allows it). */
static inline void reg_write64(uintptr_t a, uint64_t v)
{
	reg_write32(a, (uint32_t)v);
	reg_write32(a + 4, (uint32_t)(v >> 32));
}

/* A 64-bit feature word behind a select register (virtio-pci's common
 * configuration, 4.1.4.3; virtio-mmio, 4.2.2): select 0 shows bits 0-31
 * at `data`, select 1 bits 32-63. Device and driver features alike. */
static inline uint64_t reg_read_features(uintptr_t select, uintptr_t data)
{
	reg_write32(select, 0);
	uint64_t lo = reg_read32(data);
	reg_write32(select, 1);
	return lo | (uint64_t)reg_read32(data) << 32;
}

static inline void reg_write_features(uintptr_t select, uintptr_t data,
				      uint64_t features)
{
	reg_write32(select, 0);
	reg_write32(data, (uint32_t)features);
	reg_write32(select, 1);
	reg_write32(data, (uint32_t)(features >> 32));
}

/* The selected queue's three ring addresses (virtio-pci queue_desc,
 * queue_driver, queue_device; virtio-mmio QueueDesc, QueueDriver,
 * QueueDevice), each a 64-bit register. */
static inline void reg_write_rings(uintptr_t desc_reg, uintptr_t driver_reg,
				   uintptr_t device_reg, uint64_t desc,
				   uint64_t avail, uint64_t used)
{
	reg_write64(desc_reg, desc);
	reg_write64(driver_reg, avail);
	reg_write64(device_reg, used);
}

/* After writing 0 to a status register: wait until it reads 0 (the reset
 * is done). Bounded by reads, not ticks, since it may run with IRQs off:
 * a million reads are about a second under TCG. 0 or -ETIMEDOUT. */
static inline int reg_wait_zero8(uintptr_t a)
{
	for (unsigned i = 0; i < 1000000; i++)
		if (!reg_read8(a))
			return 0;
	return -ETIMEDOUT;
}

static inline int reg_wait_zero32(uintptr_t a)
{
	for (unsigned i = 0; i < 1000000; i++)
		if (!reg_read32(a))
			return 0;
	return -ETIMEDOUT;
}

#endif
