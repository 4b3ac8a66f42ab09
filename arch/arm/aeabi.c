/*
 * The ARM run-time ABI's memory helpers (RTABI 4.3.4). Clang lowers struct
 * copies and memset/memcpy calls to these; GCC's libgcc does not provide
 * them (a C library would), so the kernel does, on top of kernel/lib. The
 * 4/8 variants only promise alignment, which we do not need to exploit.
 * Note __aeabi_memset's argument order: (dest, n, c).
 */
#include <stddef.h>
#include <string.h>

#define AEABI_ALIAS(name, target)                                              \
	__attribute__((alias(#target))) __typeof__(target) name

void __aeabi_memcpy(void *dst, const void *src, size_t n);
void __aeabi_memmove(void *dst, const void *src, size_t n);
void __aeabi_memset(void *dst, size_t n, int c);
void __aeabi_memclr(void *dst, size_t n);

void __aeabi_memcpy(void *dst, const void *src, size_t n)
{
	memcpy(dst, src, n);
}

void __aeabi_memmove(void *dst, const void *src, size_t n)
{
	memmove(dst, src, n);
}

void __aeabi_memset(void *dst, size_t n, int c)
{
	memset(dst, c, n);
}

void __aeabi_memclr(void *dst, size_t n)
{
	memset(dst, 0, n);
}

AEABI_ALIAS(__aeabi_memcpy4, __aeabi_memcpy);
AEABI_ALIAS(__aeabi_memcpy8, __aeabi_memcpy);
AEABI_ALIAS(__aeabi_memmove4, __aeabi_memmove);
AEABI_ALIAS(__aeabi_memmove8, __aeabi_memmove);
AEABI_ALIAS(__aeabi_memset4, __aeabi_memset);
AEABI_ALIAS(__aeabi_memset8, __aeabi_memset);
AEABI_ALIAS(__aeabi_memclr4, __aeabi_memclr);
AEABI_ALIAS(__aeabi_memclr8, __aeabi_memclr);
