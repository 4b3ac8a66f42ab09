/*
 * tests/vm/wasi_poll_test.c: poll_oneoff on file descriptors (suite
 * `wasm`). A fake stdin says how long input takes to arrive; the hook
 * records the timeout it was asked to wait, so each case checks both the
 * events and how long the call would have waited.
 */
#include <ktest.h>
#include <string.h>

#include "vm_arena.h"
#include "wasm_modules.h"
#include <vm/vm.h>
#include <vm/wasi.h>

#define NO_INPUT UINT64_MAX

static uint64_t input_after; /* ns until a byte arrives, or NO_INPUT */
static uint64_t asked;	     /* the last timeout poll_read was given */
static int polls, sleeps;

static bool p_poll_read(void *ctx, uint64_t timeout_ns)
{
	(void)ctx;
	asked = timeout_ns;
	polls++;
	return input_after != NO_INPUT && input_after <= timeout_ns;
}

static void p_sleep(void *ctx, uint64_t ns)
{
	(void)ctx;
	asked = ns;
	sleeps++;
}

static const struct vm_wasi_ops poll_ops = {
	.sleep = p_sleep,
	.poll_read = p_poll_read,
};

enum { CLOCK = 0, READ = 1, WRITE = 2 };

struct sub {
	uint8_t tag;
	uint32_t fd;	  /* READ/WRITE */
	uint64_t timeout; /* CLOCK, relative */
};

struct ev {
	uint64_t userdata;
	uint16_t error;
	uint8_t type;
};

/* Run poll_oneoff on subs (userdata = index + 100); returns the number
 * of events, written to ev[], or -1 if the call failed. */
static int poll(struct ktest *t, const struct sub *subs, int n, struct ev *ev)
{
	struct vm_error e;
	struct vm_wasi w;
	int nev = -1;
	vm_arena_reset();
	struct vm_module *m =
		vm_module_load(&vm_arena_ops, mod_poll, sizeof(mod_poll), &e);
	if (!KT_EXPECT(t, m != NULL))
		return -1;
	vm_wasi_init(&w, &vm_arena_ops, &poll_ops, 0, NULL, 0, NULL);
	struct vm_instance *i = vm_instantiate(m, vm_wasi_resolve, &w, &e);
	struct vm_thread *th = vm_thread_new(&vm_arena_ops, 4096, 64);
	struct vm_extern ex;
	if (!KT_EXPECT(t, i && th && vm_instance_export(i, "poll", &ex)))
		goto out;
	uint8_t *mem = vm_memory_data(vm_instance_memory(i));
	for (int k = 0; k < n; k++) {
		uint8_t *s = mem + 48 * k;
		uint64_t ud = 100 + (uint64_t)k;
		memcpy(s, &ud, 8);
		s[8] = subs[k].tag;
		memcpy(s + 16, &subs[k].fd, 4);
		if (subs[k].tag == CLOCK)
			memcpy(s + 24, &subs[k].timeout, 8);
	}
	vm_value a = {.u64 = (uint32_t)n}, r;
	if (!KT_EXPECT_EQ(t, vm_call(th, ex.u.func, &a, 1, &r, 1, &e), VM_OK) ||
	    !KT_EXPECT_EQ(t, r.u32, 0))
		goto out;
	memcpy(&nev, mem + 2048, 4);
	for (int k = 0; k < nev && k < n; k++) {
		const uint8_t *o = mem + 1024 + 32 * k;
		memcpy(&ev[k].userdata, o, 8);
		memcpy(&ev[k].error, o + 8, 2);
		ev[k].type = o[10];
	}
out:
	if (th)
		vm_thread_free(th);
	if (i)
		vm_instance_free(i);
	vm_wasi_free(&w);
	vm_module_free(m);
	return nev;
}

static void reset(uint64_t input)
{
	input_after = input;
	asked = 0;
	polls = sleeps = 0;
}

KTEST(wasm, poll_stdin_waits_for_input)
{
	static const struct sub s[] = {{READ, 0, 0}};
	struct ev ev[1];
	reset(5000000);
	KT_ASSERT_EQ(t, poll(t, s, 1, ev), 1);
	KT_EXPECT_EQ(t, asked, UINT64_MAX); /* no clock: no time limit */
	KT_EXPECT_EQ(t, ev[0].userdata, 100);
	KT_EXPECT_EQ(t, ev[0].type, READ);
	KT_EXPECT_EQ(t, ev[0].error, 0);
}

KTEST(wasm, poll_stdin_or_clock_times_out)
{
	static const struct sub s[] = {{READ, 0, 0}, {CLOCK, 0, 30000000}};
	struct ev ev[2];
	reset(NO_INPUT);
	KT_ASSERT_EQ(t, poll(t, s, 2, ev), 1);
	KT_EXPECT_EQ(t, asked, 30000000); /* waited for the clock */
	KT_EXPECT_EQ(t, ev[0].userdata, 101);
	KT_EXPECT_EQ(t, ev[0].type, CLOCK);
}

KTEST(wasm, poll_stdin_before_the_clock)
{
	static const struct sub s[] = {{CLOCK, 0, 30000000}, {READ, 0, 0}};
	struct ev ev[2];
	reset(1000000);
	KT_ASSERT_EQ(t, poll(t, s, 2, ev), 1);
	KT_EXPECT_EQ(t, polls, 1);
	KT_EXPECT_EQ(t, ev[0].userdata, 101);
	KT_EXPECT_EQ(t, ev[0].type, READ);
}

KTEST(wasm, poll_write_ready_at_once)
{
	static const struct sub s[] = {{CLOCK, 0, 30000000},
				       {WRITE, 1, 0},
				       {READ, 0, 0},
				       {WRITE, 2, 0}};
	struct ev ev[4];
	reset(NO_INPUT);
	KT_ASSERT_EQ(t, poll(t, s, 4, ev), 2);
	/* stdin was only looked at, and nothing slept */
	KT_EXPECT_EQ(t, polls, 1);
	KT_EXPECT_EQ(t, asked, 0);
	KT_EXPECT_EQ(t, sleeps, 0);
	KT_EXPECT_EQ(t, ev[0].userdata, 101);
	KT_EXPECT_EQ(t, ev[0].type, WRITE);
	KT_EXPECT_EQ(t, ev[0].error, 0);
	KT_EXPECT_EQ(t, ev[1].userdata, 103);
}

KTEST(wasm, poll_unknown_fd_is_ebadf)
{
	static const struct sub s[] = {
		{READ, 9, 0}, {WRITE, 0, 0}, {CLOCK, 0, 30000000}};
	struct ev ev[3];
	reset(NO_INPUT);
	KT_ASSERT_EQ(t, poll(t, s, 3, ev), 2);
	KT_EXPECT_EQ(t, sleeps + polls, 0);
	KT_EXPECT_EQ(t, ev[0].userdata, 100);
	KT_EXPECT_EQ(t, ev[0].type, READ);
	KT_EXPECT_EQ(t, ev[0].error, 8); /* EBADF */
	KT_EXPECT_EQ(t, ev[1].userdata, 101);
	KT_EXPECT_EQ(t, ev[1].type, WRITE);
	KT_EXPECT_EQ(t, ev[1].error, 8);
}

KTEST(wasm, poll_clocks_only_sleep_to_the_earliest)
{
	static const struct sub s[] = {{CLOCK, 0, 50000000},
				       {CLOCK, 0, 20000000}};
	struct ev ev[2];
	reset(NO_INPUT);
	KT_ASSERT_EQ(t, poll(t, s, 2, ev), 1);
	KT_EXPECT_EQ(t, sleeps, 1);
	KT_EXPECT_EQ(t, asked, 20000000);
	KT_EXPECT_EQ(t, ev[0].userdata, 101);
}
