KSRCS += mm/pt_pool.c mm/lowmem.c
