/*
 * Forced into every kernel source compiled for the host test binary.
 *
 * The kernel's own C library functions keep their names in the kernel; on
 * the host they are renamed so the test binary exercises OUR memcpy and
 * vsnprintf, not glibc's (and so ASan's interceptors of the real names keep
 * working for everything else).
 */
#ifndef HOST_PRELUDE_H
#define HOST_PRELUDE_H

#define memcpy	  kmemcpy
#define memmove	  kmemmove
#define memset	  kmemset
#define memcmp	  kmemcmp
#define memchr	  kmemchr
#define strlen	  kstrlen
#define strnlen	  kstrnlen
#define strcmp	  kstrcmp
#define strncmp	  kstrncmp
#define strchr	  kstrchr
#define strrchr	  kstrrchr
#define strlcpy	  kstrlcpy
#define snprintf  ksnprintf
#define vsnprintf kvsnprintf
#define malloc	  sbrk_malloc
#define free	  sbrk_free
#define calloc	  sbrk_calloc
#define realloc	  sbrk_realloc
#define memalign  sbrk_memalign

/* Host test builds are single-threaded user programs. */
#define KTEST_HOST 1

/* The configuration host tests are built with. */
#define CONFIG_HZ		100
#define CONFIG_KTEST		1
#define CONFIG_CMDLINE		""
#define CONFIG_DMA_MAX_WINDOWS	64
#define CONFIG_KHEAP_SIZE	0x1000000
#define CONFIG_KHEAP_RESERVE_KB 2048
#define CONFIG_NR_CPUS		4

#endif
