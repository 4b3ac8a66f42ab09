KSRCS += mm/pt_pool.c
