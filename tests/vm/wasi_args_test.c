/*
 * tests/vm/wasi_args_test.c: WASI calls with the arguments the run-path
 * fuzzer (tools/wasmfuzz/fuzz_run.c) found mishandled (suite `wasm`).
 * Each case failed before its fix: on the host with a sanitizer report,
 * and where it says so in the kernel too (wrong results).
 */
#include <ktest.h>
#include <string.h>

#include "wasi_modules.h"
#include "wasi_run.h"

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static bool lookup(void *ctx, const char *path, size_t len,
		   const uint8_t **data, uint64_t *size)
{
	static const char hello[] = "hello world";
	(void)ctx;
	if (len != 9 || memcmp(path, "hello.txt", 9) != 0)
		return false;
	*data = (const uint8_t *)hello;
	*size = sizeof(hello) - 1;
	return true;
}

enum { E_FAULT = 21, E_INVAL = 28, E_OVERFLOW = 61 };

/* ---- no memory --------------------------------------------------------- */

static const struct vm_wasi_ops no_ops;

/* An empty range at 0 where there is no data block at all (no memory, or
 * an unshared one of 0 pages): EFAULT, without computing NULL + 0 (clang's
 * UBSan: "applying zero offset to null pointer"; gcc's does not check). */
KTEST(wasm, wasi_no_memory_is_efault)
{
	static const struct {
		const uint8_t *b;
		size_t n;
	} mods[] = {{mod_nomem, sizeof(mod_nomem)},
		    {mod_mem0, sizeof(mod_mem0)}};
	for (size_t k = 0; k < sizeof(mods) / sizeof(mods[0]); k++) {
		struct run r;
		if (wasi_run_open(t, &r, mods[k].b, mods[k].n, &no_ops)) {
			KT_EXPECT_EQ(t,
				     wasi_run_call(t, &r, "random0", NULL, 0),
				     E_FAULT);
			KT_EXPECT_EQ(t, wasi_run_call(t, &r, "open0", NULL, 0),
				     E_FAULT);
		}
		wasi_run_close(&r);
	}
}

/* ---- fd_seek ----------------------------------------------------------- */

static const struct vm_wasi_ops file_ops = {.lookup = lookup};

static uint32_t seek(struct ktest *t, struct run *r, int64_t off,
		     uint32_t whence)
{
	vm_value a[2] = {{.i64 = off}, {.u64 = whence}};
	return wasi_run_call(t, r, "seek", a, 2);
}

/* Offsets that overflow a signed 64-bit position are EOVERFLOW, not a
 * wrapped position (UBSan: signed integer overflow); reading far past the
 * end gives nothing (UBSan: pointer overflow). */
KTEST(wasm, wasi_seek_overflow)
{
	struct run r;
	int64_t max = 0x7fffffffffffffffll, min = -max - 1;
	uint64_t pos;
	if (wasi_run_open(t, &r, mod_seek, sizeof(mod_seek), &file_ops) &&
	    KT_EXPECT_EQ(t, wasi_run_call(t, &r, "open", NULL, 0), 0)) {
		KT_EXPECT_EQ(t, seek(t, &r, max, 2), E_OVERFLOW); /* END */
		KT_EXPECT_EQ(t, seek(t, &r, -12, 2), E_INVAL);
		KT_EXPECT_EQ(t, seek(t, &r, min, 0), E_INVAL);
		KT_EXPECT_EQ(t, seek(t, &r, max, 0), 0); /* SET */
		memcpy(&pos, r.mem + 32, 8);
		KT_EXPECT_EQ(t, pos, (uint64_t)max);
		KT_EXPECT_EQ(t, seek(t, &r, 1, 1), E_OVERFLOW); /* CUR */
		KT_EXPECT_EQ(t, wasi_run_call(t, &r, "read", NULL, 0), 0);
		KT_EXPECT_EQ(t, seek(t, &r, min, 1), E_INVAL);
		KT_EXPECT_EQ(t, seek(t, &r, -max + 6, 1), 0); /* back to 6 */
		KT_EXPECT_EQ(t, wasi_run_call(t, &r, "read", NULL, 0), 5);
		KT_EXPECT(t, memcmp(r.mem + 200, "world", 5) == 0);
	}
	wasi_run_close(&r);
}

/* ---- poll_oneoff's events ---------------------------------------------- */

enum { CLOCK = 0, READ = 1, WRITE = 2 };

static void sub(uint8_t *s, uint64_t userdata, uint8_t tag, uint32_t fd)
{
	memset(s, 0, 48);
	memcpy(s, &userdata, 8);
	s[8] = tag;
	memcpy(s + 16, &fd, 4);
}

static uint32_t poll(struct ktest *t, struct run *r, uint32_t in, uint32_t out,
		     uint32_t n)
{
	vm_value a[3] = {{.u64 = in}, {.u64 = out}, {.u64 = n}};
	return wasi_run_call(t, r, "poll", a, 3);
}

/* Events written over the subscriptions they answer: each event must
 * still carry its subscription's userdata (it was zeroed first, then
 * copied from itself), and the zeroed subscription, now a clock that is
 * due, must not answer a second time: that event went 32 bytes past the
 * n * 32 checked, past the end of memory if the events end there. */
KTEST(wasm, wasi_poll_events_over_subscriptions)
{
	struct run r;
	if (wasi_run_open(t, &r, mod_poll3, sizeof(mod_poll3), &no_ops)) {
		sub(r.mem, 0x1122334455667788ull, WRITE, 1);
		KT_EXPECT_EQ(t, poll(t, &r, 0, 0, 1), 0);
		KT_EXPECT_EQ(t, rd32(r.mem + 4096), 1);
		uint64_t ud;
		memcpy(&ud, r.mem, 8);
		KT_EXPECT_EQ(t, ud, 0x1122334455667788ull);
		KT_EXPECT_EQ(t, r.mem[10], WRITE);
		KT_EXPECT_EQ(t, r.mem[8] | r.mem[9], 0); /* no error */
	}
	wasi_run_close(&r);
}

/*
 * Another thread may rewrite the subscriptions while poll_oneoff runs (a
 * shared memory). Here the stdin hook does it, between the call's two
 * passes: the WRITE subscription, already answered, becomes a clock that
 * is due. The events must still fit in the n * 32 bytes checked at the
 * start: a third event would land past them (past the end of memory, if
 * that is where they are).
 */
static uint8_t *race_mem;

static bool rewrite_poll_read(void *ctx, uint64_t timeout_ns)
{
	(void)ctx;
	(void)timeout_ns;
	race_mem[8] = CLOCK; /* timeout 0: due at once */
	return true;
}

static const struct vm_wasi_ops race_ops = {.poll_read = rewrite_poll_read};

KTEST(wasm, wasi_poll_events_stay_in_bounds)
{
	struct run r;
	if (wasi_run_open(t, &r, mod_poll3, sizeof(mod_poll3), &race_ops)) {
		race_mem = r.mem;
		sub(r.mem, 1, WRITE, 1);
		sub(r.mem + 48, 2, READ, 0);
		memset(r.mem + 1024, 0xaa, 96);
		KT_EXPECT_EQ(t, poll(t, &r, 0, 1024, 2), 0);
		KT_EXPECT(t, rd32(r.mem + 4096) <= 2);
		KT_EXPECT_EQ(t, rd32(r.mem + 1024 + 64), 0xaaaaaaaau);
	}
	wasi_run_close(&r);
}
