MM_SRCS := mm/pt_pool.c mm/lowmem.c mm/layout.c mm/mm_init.c mm/pmm.c \
	mm/tlsf.c mm/kheap.c mm/sbrk.c mm/malloc.c mm/dma.c
KSRCS += $(MM_SRCS)
