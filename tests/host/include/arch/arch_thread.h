/* Host test build: contexts are not switched on the host. */
#ifndef HOST_ARCH_THREAD_H
#define HOST_ARCH_THREAD_H

struct arch_context {
	void *unused;
};

#define ARCH_FPU_AREA_SIZE  512
#define ARCH_FPU_AREA_ALIGN 16

#endif
