/*
 * x86: stores are snooped by the instruction fetch (self- and
 * cross-modifying code needs only a serialising instruction on the CPU
 * that runs it, and reaching new code through a call or jmp after the
 * store is enough for code that was never run before); <arch/icache.h>.
 */
#ifndef ARCH_ARCH_ICACHE_H
#define ARCH_ARCH_ICACHE_H

static inline void arch_sync_icache(const void *start, size_t len)
{
	(void)start;
	(void)len;
}

#endif
