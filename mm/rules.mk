MM_PMM_SRCS := mm/pmm.c mm/pmm_boot.c mm/pmm_check.c mm/pmm_dma.c \
	mm/pmm_rmap.c mm/pmm_stats.c
MM_KHEAP_SRCS := mm/tlsf.c mm/objcache.c mm/kheap.c mm/kheap_debug.c
MM_SRCS := mm/pt_pool.c mm/lowmem.c mm/layout.c mm/mm_init.c $(MM_PMM_SRCS) \
	$(MM_KHEAP_SRCS) mm/sbrk.c mm/malloc.c mm/dma.c \
	mm/code_region.c mm/code_heap.c
KSRCS += $(MM_SRCS)
