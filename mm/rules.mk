KSRCS += mm/pt_pool.c mm/lowmem.c mm/layout.c mm/mm_init.c
