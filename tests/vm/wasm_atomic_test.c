/*
 * tests/vm/wasm_atomic_test.c: the `wasm` suite's cases for the threads
 * proposal: atomic results and traps, the wait/notify hooks, and the rules
 * for shared memories.
 */
#include "wasm_test.h"

/*
 * (memory (export "mem") 1 1 shared); cas = i32.atomic.rmw.cmpxchg,
 * cas8 = i64.atomic.rmw8.cmpxchg_u, ld = i32.atomic.load, add64 =
 * i64.atomic.rmw.add, wait = memory.atomic.wait32, notify = atomic.fence
 * then memory.atomic.notify; each on its parameters.
 */
static const uint8_t mod_atomic[] = {
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x27, 0x06, 0x60,
	0x03, 0x7f, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x03, 0x7f, 0x7e, 0x7e, 0x01,
	0x7e, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60, 0x02, 0x7f, 0x7e, 0x01, 0x7e,
	0x60, 0x03, 0x7f, 0x7f, 0x7e, 0x01, 0x7f, 0x60, 0x02, 0x7f, 0x7f, 0x01,
	0x7f, 0x03, 0x07, 0x06, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x05, 0x04,
	0x01, 0x03, 0x01, 0x01, 0x07, 0x31, 0x07, 0x03, 0x6d, 0x65, 0x6d, 0x02,
	0x00, 0x03, 0x63, 0x61, 0x73, 0x00, 0x00, 0x04, 0x63, 0x61, 0x73, 0x38,
	0x00, 0x01, 0x02, 0x6c, 0x64, 0x00, 0x02, 0x05, 0x61, 0x64, 0x64, 0x36,
	0x34, 0x00, 0x03, 0x04, 0x77, 0x61, 0x69, 0x74, 0x00, 0x04, 0x06, 0x6e,
	0x6f, 0x74, 0x69, 0x66, 0x79, 0x00, 0x05, 0x0a, 0x4a, 0x06, 0x0c, 0x00,
	0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfe, 0x48, 0x02, 0x00, 0x0b, 0x0c,
	0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfe, 0x4c, 0x00, 0x00, 0x0b,
	0x08, 0x00, 0x20, 0x00, 0xfe, 0x10, 0x02, 0x00, 0x0b, 0x0a, 0x00, 0x20,
	0x00, 0x20, 0x01, 0xfe, 0x1f, 0x03, 0x00, 0x0b, 0x0c, 0x00, 0x20, 0x00,
	0x20, 0x01, 0x20, 0x02, 0xfe, 0x01, 0x02, 0x00, 0x0b, 0x0d, 0x00, 0xfe,
	0x03, 0x00, 0x20, 0x00, 0x20, 0x01, 0xfe, 0x00, 0x02, 0x00, 0x0b,
};

/* The same wait32 and notify on an unshared (memory 1 1). */
static const uint8_t mod_unshared_wait[] = {
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0e, 0x02, 0x60,
	0x03, 0x7f, 0x7f, 0x7e, 0x01, 0x7f, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f,
	0x03, 0x03, 0x02, 0x00, 0x01, 0x05, 0x04, 0x01, 0x01, 0x01, 0x01, 0x07,
	0x11, 0x02, 0x04, 0x77, 0x61, 0x69, 0x74, 0x00, 0x00, 0x06, 0x6e, 0x6f,
	0x74, 0x69, 0x66, 0x79, 0x00, 0x01, 0x0a, 0x19, 0x02, 0x0c, 0x00, 0x20,
	0x00, 0x20, 0x01, 0x20, 0x02, 0xfe, 0x01, 0x02, 0x00, 0x0b, 0x0a, 0x00,
	0x20, 0x00, 0x20, 0x01, 0xfe, 0x00, 0x02, 0x00, 0x0b,
};

static struct vm_instance *atomic_inst(struct ktest *t, const uint8_t *b,
				       size_t n, struct vm_module **m)
{
	struct vm_error e;
	*m = load(b, n, &e);
	KT_EXPECT(t, *m != NULL);
	return *m ? vm_instantiate(*m, NULL, NULL, &e) : NULL;
}

static enum vm_err_kind call3(struct vm_thread *th, struct vm_instance *i,
			      const char *fn, uint64_t a, uint64_t b,
			      uint64_t c, vm_value *r, struct vm_error *e)
{
	vm_value args[3] = {{.u64 = a}, {.u64 = b}, {.u64 = c}};
	struct vm_func *f = export_func(i, fn);
	return vm_call(th, f, args, arity(f), r, 1, e);
}

KTEST(wasm, atomic_cmpxchg_results)
{
	struct vm_module *m;
	struct vm_instance *i =
		atomic_inst(t, mod_atomic, sizeof(mod_atomic), &m);
	struct vm_thread *th = thread();
	struct vm_error e;
	vm_value r;
	KT_ASSERT(t, i && th);
	/* memory starts zero: a matching compare stores, a stale one not */
	KT_EXPECT_EQ(t, call3(th, i, "cas", 8, 0, 0x12345678, &r, &e), VM_OK);
	KT_EXPECT_EQ(t, r.u32, 0);
	KT_EXPECT_EQ(t, call3(th, i, "cas", 8, 0, 7, &r, &e), VM_OK);
	KT_EXPECT_EQ(t, r.u32, 0x12345678);
	KT_EXPECT_EQ(t, call3(th, i, "ld", 8, 0, 0, &r, &e), VM_OK);
	KT_EXPECT_EQ(t, r.u32, 0x12345678);
	/* narrow: the expected value is wrapped to 8 bits, result zero-extended
	 */
	KT_EXPECT_EQ(
		t,
		call3(th, i, "cas8", 8, 0x178, 0xffffffffffffff99ull, &r, &e),
		VM_OK);
	KT_EXPECT_EQ(t, r.u64, 0x78);
	KT_EXPECT_EQ(t, call3(th, i, "ld", 8, 0, 0, &r, &e), VM_OK);
	KT_EXPECT_EQ(t, r.u32, 0x12345699);
	/* 64-bit rmw returns the old value, carries across the halves */
	KT_EXPECT_EQ(t, call3(th, i, "add64", 16, 0xffffffffull, 0, &r, &e),
		     VM_OK);
	KT_EXPECT_EQ(t, r.u64, 0);
	KT_EXPECT_EQ(t, call3(th, i, "add64", 16, 1, 0, &r, &e), VM_OK);
	KT_EXPECT_EQ(t, r.u64, 0xffffffffull);
	KT_EXPECT_EQ(t, call3(th, i, "ld", 20, 0, 0, &r, &e), VM_OK);
	KT_EXPECT_EQ(t, r.u32, 1);
	vm_instance_free(i);
	vm_module_free(m);
}

KTEST(wasm, atomic_traps)
{
	struct vm_module *m;
	struct vm_instance *i =
		atomic_inst(t, mod_atomic, sizeof(mod_atomic), &m);
	struct vm_thread *th = thread();
	struct vm_error e;
	vm_value r;
	KT_ASSERT(t, i && th);
	KT_EXPECT_EQ(t, call3(th, i, "ld", 2, 0, 0, &r, &e), VM_ERR_TRAP);
	KT_EXPECT_EQ(t, e.trap, VM_TRAP_UNALIGNED_ATOMIC);
	KT_EXPECT(t, contains(e.msg, "unaligned atomic"));
	/* out of bounds wins over misalignment */
	KT_EXPECT_EQ(t, call3(th, i, "ld", 65535, 0, 0, &r, &e), VM_ERR_TRAP);
	KT_EXPECT_EQ(t, e.trap, VM_TRAP_MEM_OOB);
	KT_EXPECT_EQ(t, call3(th, i, "cas", 6, 0, 0, &r, &e), VM_ERR_TRAP);
	KT_EXPECT_EQ(t, e.trap, VM_TRAP_UNALIGNED_ATOMIC);
	/* no sync hooks: not-equal, a timed wait times out, untimed traps */
	KT_EXPECT_EQ(t, call3(th, i, "wait", 0, 1, 0, &r, &e), VM_OK);
	KT_EXPECT_EQ(t, r.u32, 1);
	KT_EXPECT_EQ(t, call3(th, i, "wait", 0, 0, 1000, &r, &e), VM_OK);
	KT_EXPECT_EQ(t, r.u32, 2);
	KT_EXPECT_EQ(t, call3(th, i, "wait", 0, 0, (uint64_t)-1, &r, &e),
		     VM_ERR_TRAP);
	KT_EXPECT_EQ(t, e.trap, VM_TRAP_WAIT_FOREVER);
	KT_EXPECT_EQ(t, call3(th, i, "notify", 0, 5, 0, &r, &e), VM_OK);
	KT_EXPECT_EQ(t, r.u32, 0);
	vm_instance_free(i);
	vm_module_free(m);

	i = atomic_inst(t, mod_unshared_wait, sizeof(mod_unshared_wait), &m);
	KT_ASSERT(t, i != NULL);
	KT_EXPECT_EQ(t, call3(th, i, "wait", 0, 0, 0, &r, &e), VM_ERR_TRAP);
	KT_EXPECT_EQ(t, e.trap, VM_TRAP_UNSHARED_WAIT);
	KT_EXPECT(t, contains(e.msg, "expected shared memory"));
	KT_EXPECT_EQ(t, call3(th, i, "notify", 0, 1, 0, &r, &e), VM_OK);
	KT_EXPECT_EQ(t, r.u32, 0);
	vm_instance_free(i);
	vm_module_free(m);
}

static uint32_t sync_waits, sync_notified;

static int sync_wait(void *ctx, struct vm_memory *mem, uint32_t addr,
		     uint64_t expected, unsigned size, int64_t timeout_ns)
{
	(void)ctx;
	(void)mem;
	(void)timeout_ns;
	sync_waits++;
	return addr == 4 && expected == 0 && size == 4 ? 0 : 1;
}

static uint32_t sync_notify(void *ctx, struct vm_memory *mem, uint32_t addr,
			    uint32_t count)
{
	(void)ctx;
	(void)mem;
	sync_notified += count;
	return addr == 4 ? count : 0;
}

KTEST(wasm, atomic_sync_hooks)
{
	static const struct vm_sync_ops sync = {NULL, sync_wait, sync_notify};
	struct vm_module *m;
	struct vm_instance *i =
		atomic_inst(t, mod_atomic, sizeof(mod_atomic), &m);
	struct vm_thread *th = thread();
	struct vm_error e;
	vm_value r;
	KT_ASSERT(t, i && th);
	struct vm_memory *mem = vm_instance_memory(i);
	KT_EXPECT(t, vm_memory_shared(mem));
	vm_memory_set_sync(mem, &sync);
	sync_waits = sync_notified = 0;
	KT_EXPECT_EQ(t, call3(th, i, "wait", 4, 0, (uint64_t)-1, &r, &e),
		     VM_OK);
	KT_EXPECT_EQ(t, r.u32, 0);
	KT_EXPECT_EQ(t, call3(th, i, "notify", 4, 3, 0, &r, &e), VM_OK);
	KT_EXPECT_EQ(t, r.u32, 3);
	KT_EXPECT_EQ(t, sync_waits, 1);
	KT_EXPECT_EQ(t, sync_notified, 3);
	/* traps come before the hooks */
	KT_EXPECT_EQ(t, call3(th, i, "wait", 2, 0, 0, &r, &e), VM_ERR_TRAP);
	KT_EXPECT_EQ(t, sync_waits, 1);
	vm_instance_free(i);
	vm_module_free(m);
}

KTEST(wasm, shared_memory_rules)
{
	/* (memory 1 shared): flag 2, no maximum */
	static const uint8_t nomax[] = {0, 'a', 's', 'm', 1, 0, 0,
					0, 5,	3,   1,	  2, 1};
	/* limits flag 4 does not exist */
	static const uint8_t flag4[] = {0, 'a', 's', 'm', 1, 0, 0,
					0, 5,	3,   1,	  4, 1};
	uint8_t b[sizeof(mod_unshared_wait)];
	struct vm_error e;
	KT_EXPECT(t, load(nomax, sizeof(nomax), &e) == NULL);
	KT_EXPECT_EQ(t, e.kind, VM_ERR_INVALID);
	KT_EXPECT(t, contains(e.msg, "shared memory must have maximum"));
	KT_EXPECT(t, load(flag4, sizeof(flag4), &e) == NULL);
	KT_EXPECT_EQ(t, e.kind, VM_ERR_MALFORMED);
	/* wait32 with alignment 2^1 instead of 2^2 */
	memcpy(b, mod_unshared_wait, sizeof(b));
	KT_ASSERT(t, b[66] == 0x01 && b[67] == 0x02);
	b[67] = 0x01;
	KT_EXPECT(t, load(b, sizeof(b), &e) == NULL);
	KT_EXPECT_EQ(t, e.kind, VM_ERR_INVALID);
	KT_EXPECT(t, contains(e.msg, "alignment must be exactly natural"));
	/* an unknown atomic sub-opcode is malformed */
	memcpy(b, mod_unshared_wait, sizeof(b));
	b[66] = 0x05;
	KT_EXPECT(t, load(b, sizeof(b), &e) == NULL);
	KT_EXPECT_EQ(t, e.kind, VM_ERR_MALFORMED);
}
