/*
 * The VM86 monitor. A BIOS call runs in virtual-8086 mode at CPL 3 with
 * IOPL 0, so every sensitive instruction traps to ring 0 with #GP and is
 * emulated here:
 *
 *   PUSHF/POPF, CLI/STI  on a virtual IF (the real IF stays 1, so kernel
 *                        IRQs and the timer keep running during the call)
 *   INT n, INT3, INTO    push FLAGS/CS/IP on the VM86 stack, go to IVT[n]
 *   IRET                 pop them again (nested BIOS interrupts nest here)
 *   IN/OUT, INS/OUTS     done by the monitor on the real port (the TSS has
 *                        no I/O bitmap), with REP and size/segment prefixes
 *   HLT                  at the return stub: the call is finished;
 *                        elsewhere: wait for the next IRQ
 *
 * A call starts with a frame (FLAGS, stub CS:IP) on its stack, as if an INT
 * had been executed from the stub, a HLT in the call's low-memory page; the
 * handler's final IRET lands there. Hardware interrupts are handled by the
 * kernel, never reflected into real mode. Any other exception from VM86
 * code aborts the call with its real-mode CS:IP.
 */
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/mmu.h>
#include <arch/ops.h>
#include <arch/pio.h>
#include <arch/vm86.h>
#include <arch/x86.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/sync.h>
#include <kernel/tick.h>
#include <lib/err.h>
#include <mm/lowmem.h>
#include <stdarg.h>
#include <string.h>

#include "x86_internal.h"

/* What the CPU pushes on top of struct trap_frame for a trap from VM86. */
struct vm86_frame {
	struct trap_frame tf;
	uint32_t esp, ss, es, ds, fs, gs;
};

/* The layout vm86_entry.S reads. */
struct vm86_entry {
	uint32_t eax, ebx, ecx, edx, esi, edi, ebp;
	uint32_t eip, cs, eflags, esp, ss, es, ds, fs, gs;
};

int vm86_enter(const struct vm86_entry *e, uint32_t *esp0);
void vm86_leave(int rc) __attribute__((noreturn));

#define VM86_STACK_SIZE 4096u	  /* one page: the stub at 0, the stack above */
#define VM86_LIMIT	0x100000u /* no access at or above 1 MiB (kernel) */
/* Flags real-mode code may change in the real EFLAGS: CF PF AF ZF SF DF OF. */
#define VM86_USER_FLAGS 0x0cd5u

static struct {
	volatile bool busy;
	bool active;	   /* between vm86_enter and vm86_leave */
	bool vif;	   /* the real-mode code's IF */
	uint32_t stub;	   /* linear address of the HLT that ends it */
	uint64_t deadline; /* tick_count() at which it is aborted */
	unsigned timeout_ms;
	unsigned depth;	      /* emulated INTs not yet IRETed */
	uint64_t start_tick;  /* tick_count() when the call began */
	unsigned long budget; /* traps left while the timer does not run */
	uint8_t vector;	      /* for messages; 0 with from_vector false */
	bool from_vector;
	struct vm86_regs *out;
	struct vm86_stats stats;
	char error[160];
} mon;

static const char *const fault_names[32] = {
	[0] = "divide error",	      [1] = "debug",
	[3] = "breakpoint",	      [4] = "overflow",
	[5] = "BOUND range exceeded", [6] = "invalid opcode",
	[7] = "device not available", [10] = "invalid TSS",
	[11] = "segment not present", [12] = "stack-segment fault",
	[13] = "general protection",  [14] = "page fault",
	[16] = "x87 floating-point",  [17] = "alignment check",
	[19] = "SIMD floating-point",
};

static void describe_call(char *buf, size_t size)
{
	if (mon.from_vector)
		snprintf(buf, size, "INT %02xh", mon.vector);
	else
		snprintf(buf, size, "real-mode call");
}

/* End the running call with `rc` and a message; never returns. */
static void __attribute__((noreturn, format(printf, 2, 3)))
vm86_abort(int rc, const char *fmt, ...)
{
	char what[16];
	va_list ap;

	describe_call(what, sizeof(what));
	int n = snprintf(mon.error, sizeof(mon.error), "vm86: %s: ", what);
	va_start(ap, fmt);
	vsnprintf(mon.error + n, sizeof(mon.error) - n, fmt, ap);
	va_end(ap);
	printk("%s\n", mon.error);
	mon.stats.failed++;
	vm86_leave(rc);
}

/* ---- real-mode memory: linear addresses below 1 MiB, identity-mapped */

static uint32_t lin(uint32_t seg, uint32_t off)
{
	return ((seg & 0xffff) << 4) + (off & 0xffff);
}

/* A pointer to linear `a`, `n` bytes; aborts the call beyond 1 MiB (that is
 * the kernel image, not BIOS memory). Page 0 is a valid address here. */
static volatile uint8_t *mem(const struct vm86_frame *v, uint32_t a, unsigned n)
{
	if (a + n > VM86_LIMIT)
		vm86_abort(-EFAULT, "access to %05x beyond 1 MiB at %04x:%04x",
			   a, v->tf.cs & 0xffff, v->tf.eip & 0xffff);
	volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)a;
	__asm__("" : "+r"(p)); /* address 0 is real memory in here */
	return p;
}

static uint8_t rd8(const struct vm86_frame *v, uint32_t a)
{
	return *mem(v, a, 1);
}

static uint16_t rd16(const struct vm86_frame *v, uint32_t a)
{
	volatile uint8_t *p = mem(v, a, 2);
	return (uint16_t)(p[0] | p[1] << 8);
}

static void wr16(const struct vm86_frame *v, uint32_t a, uint16_t x)
{
	volatile uint8_t *p = mem(v, a, 2);
	p[0] = (uint8_t)x;
	p[1] = (uint8_t)(x >> 8);
}

static void push16(struct vm86_frame *v, uint16_t x)
{
	uint16_t sp = (uint16_t)(v->esp - 2);
	wr16(v, lin(v->ss, sp), x);
	v->esp = (v->esp & 0xffff0000u) | sp;
}

static uint16_t pop16(struct vm86_frame *v)
{
	uint16_t sp = (uint16_t)v->esp;
	uint16_t x = rd16(v, lin(v->ss, sp));
	v->esp = (v->esp & 0xffff0000u) | (uint16_t)(sp + 2);
	return x;
}

static void push32(struct vm86_frame *v, uint32_t x)
{
	push16(v, (uint16_t)(x >> 16));
	push16(v, (uint16_t)x);
}

static uint32_t pop32(struct vm86_frame *v)
{
	uint32_t lo = pop16(v);
	return lo | (uint32_t)pop16(v) << 16;
}

/* ---- flags */

/* FLAGS as the real-mode code sees them: its own IF, IOPL 0. */
static uint32_t guest_flags(const struct vm86_frame *v)
{
	uint32_t f = v->tf.eflags & ~(X86_EFLAGS_IF | X86_EFLAGS_IOPL |
				      X86_EFLAGS_VM | X86_EFLAGS_RF);
	return f | (mon.vif ? X86_EFLAGS_IF : 0);
}

static void set_guest_flags(struct vm86_frame *v, uint32_t f)
{
	mon.vif = f & X86_EFLAGS_IF;
	v->tf.eflags =
		(v->tf.eflags & ~VM86_USER_FLAGS) | (f & VM86_USER_FLAGS);
}

/* ---- the emulated instructions */

static void do_int(struct vm86_frame *v, uint8_t n, uint16_t next_ip)
{
	push16(v, (uint16_t)guest_flags(v));
	push16(v, (uint16_t)v->tf.cs);
	push16(v, next_ip);
	uint32_t vec = rd16(v, n * 4u) | (uint32_t)rd16(v, n * 4u + 2) << 16;
	v->tf.cs = vec >> 16;
	v->tf.eip = vec & 0xffff;
	mon.vif = false;
	v->tf.eflags &= ~(X86_EFLAGS_TF | X86_EFLAGS_AC);
	mon.stats.emulated_ints++;
	if (++mon.depth > mon.stats.max_depth)
		mon.stats.max_depth = mon.depth;
}

static void do_iret(struct vm86_frame *v, bool o32)
{
	if (o32) {
		v->tf.eip = pop32(v) & 0xffff;
		v->tf.cs = pop32(v) & 0xffff;
		set_guest_flags(v, pop32(v));
	} else {
		v->tf.eip = pop16(v);
		v->tf.cs = pop16(v);
		set_guest_flags(v, pop16(v));
	}
	if (mon.depth)
		mon.depth--;
}

/* <arch/pio.h> has no 32-bit input; BIOS code uses IN EAX, DX. */
static inline uint32_t in32(uint16_t port)
{
	uint32_t x;
	__asm__ volatile("inl %1, %0" : "=a"(x) : "Nd"(port));
	return x;
}

static uint32_t port_in(unsigned port, unsigned size)
{
	switch (size) {
	case 1: return inb((uint16_t)port);
	case 2: return inw((uint16_t)port);
	default: return in32((uint16_t)port);
	}
}

static void port_out(unsigned port, unsigned size, uint32_t x)
{
	switch (size) {
	case 1: outb((uint16_t)port, (uint8_t)x); break;
	case 2: outw((uint16_t)port, (uint16_t)x); break;
	default: outl((uint16_t)port, x); break;
	}
}

/* Store `x` of `size` bytes in the accumulator (AL, AX or EAX). */
static void set_acc(struct vm86_frame *v, unsigned size, uint32_t x)
{
	uint32_t mask = size == 1 ? 0xffu : size == 2 ? 0xffffu : ~0u;
	v->tf.eax = (v->tf.eax & ~mask) | (x & mask);
}

/* INS/OUTS, with REP: ES:(E)DI for INS, seg:(E)SI for OUTS. */
static void do_string_io(struct vm86_frame *v, bool out, unsigned size,
			 bool rep, bool a32, uint32_t seg)
{
	uint32_t amask = a32 ? ~0u : 0xffffu;
	uint32_t count = rep ? v->tf.ecx & amask : 1;
	int step = v->tf.eflags & X86_EFLAGS_DF ? -(int)size : (int)size;
	unsigned port = v->tf.edx & 0xffff;

	for (; count; count--) {
		if (out) {
			uint32_t a = (seg << 4) + (v->tf.esi & amask);
			volatile uint8_t *p = mem(v, a, size);
			uint32_t x = p[0];
			for (unsigned i = 1; i < size; i++)
				x |= (uint32_t)p[i] << (8 * i);
			port_out(port, size, x);
			v->tf.esi = (v->tf.esi & ~amask) |
				    ((v->tf.esi + step) & amask);
		} else {
			uint32_t a =
				((v->es & 0xffff) << 4) + (v->tf.edi & amask);
			volatile uint8_t *p = mem(v, a, size);
			uint32_t x = port_in(port, size);
			for (unsigned i = 0; i < size; i++)
				p[i] = (uint8_t)(x >> (8 * i));
			v->tf.edi = (v->tf.edi & ~amask) |
				    ((v->tf.edi + step) & amask);
		}
		if (rep)
			v->tf.ecx = (v->tf.ecx & ~amask) |
				    ((v->tf.ecx - 1) & amask);
	}
}

/* Copy the finished call's registers to the caller's struct. */
static void finish(struct vm86_frame *v)
{
	struct vm86_regs *r = mon.out;

	r->eax = v->tf.eax;
	r->ebx = v->tf.ebx;
	r->ecx = v->tf.ecx;
	r->edx = v->tf.edx;
	r->esi = v->tf.esi;
	r->edi = v->tf.edi;
	r->ebp = v->tf.ebp;
	r->ds = (uint16_t)v->ds;
	r->es = (uint16_t)v->es;
	r->eflags = guest_flags(v);
	vm86_leave(0);
}

/* Before the timer runs ticks do not advance: a call made then (none is
 * today; the boot mode set runs in arch_late_init, after the timer starts)
 * is limited by a number of traps instead, which stops a BIOS polling a
 * port forever (each IN traps) though not a loop that never traps. A VBE
 * mode set takes about 200 (vesa suite). */
#define VM86_BOOT_TRAP_BUDGET 2000000ul

static void check_deadline(const struct vm86_frame *v)
{
	if (tick_count() == mon.start_tick && mon.budget-- == 0)
		vm86_abort(-ETIMEDOUT,
			   "no return after %lu traps with the timer not yet "
			   "running (at %04x:%04x); aborted",
			   VM86_BOOT_TRAP_BUDGET, v->tf.cs & 0xffff,
			   v->tf.eip & 0xffff);
	if (tick_count() >= mon.deadline)
		vm86_abort(-ETIMEDOUT,
			   "no return within %u ms (at %04x:%04x); aborted",
			   mon.timeout_ms, v->tf.cs & 0xffff,
			   v->tf.eip & 0xffff);
}

/* #GP from VM86: decode the instruction at CS:IP and emulate it. */
static void emulate(struct vm86_frame *v)
{
	uint16_t ip = (uint16_t)v->tf.eip;
	uint32_t cs = v->tf.cs & 0xffff;
	uint32_t seg = v->ds & 0xffff;
	bool o32 = false, a32 = false, rep = false;
	uint8_t op = 0;

	for (unsigned n = 0; n < 15; n++) {
		op = rd8(v, lin(cs, ip++));
		if (op == 0x66)
			o32 = true;
		else if (op == 0x67)
			a32 = true;
		else if (op == 0xf2 || op == 0xf3)
			rep = true;
		else if (op == 0x26)
			seg = v->es & 0xffff;
		else if (op == 0x2e)
			seg = cs;
		else if (op == 0x36)
			seg = v->ss & 0xffff;
		else if (op == 0x3e)
			seg = v->ds & 0xffff;
		else if (op == 0x64)
			seg = v->fs & 0xffff;
		else if (op == 0x65)
			seg = v->gs & 0xffff;
		else if (op != 0xf0) /* LOCK is harmless */
			break;
	}
	unsigned wide = o32 ? 4 : 2;

	switch (op) {
	case 0x9c: /* PUSHF */
		if (o32)
			push32(v, guest_flags(v) & ~X86_EFLAGS_VM);
		else
			push16(v, (uint16_t)guest_flags(v));
		break;
	case 0x9d: /* POPF */
		set_guest_flags(v, o32 ? pop32(v) : pop16(v));
		break;
	case 0xfa: /* CLI */ mon.vif = false; break;
	case 0xfb: /* STI */ mon.vif = true; break;
	case 0xcd: /* INT n */
		op = rd8(v, lin(cs, ip++));
		do_int(v, op, ip);
		return;
	case 0xcc: /* INT3 */ do_int(v, 3, ip); return;
	case 0xce: /* INTO */
		if (v->tf.eflags & X86_EFLAGS_OF) {
			do_int(v, 4, ip);
			return;
		}
		break;
	case 0xcf: /* IRET */ do_iret(v, o32); return;
	case 0xe4:
	case 0xe5: { /* IN acc, imm8 */
		unsigned port = rd8(v, lin(cs, ip++));
		unsigned size = op == 0xe4 ? 1 : wide;
		set_acc(v, size, port_in(port, size));
		break;
	}
	case 0xe6:
	case 0xe7: { /* OUT imm8, acc */
		unsigned port = rd8(v, lin(cs, ip++));
		port_out(port, op == 0xe6 ? 1 : wide, v->tf.eax);
		break;
	}
	case 0xec:
	case 0xed: { /* IN acc, DX */
		unsigned size = op == 0xec ? 1 : wide;
		set_acc(v, size, port_in(v->tf.edx & 0xffff, size));
		break;
	}
	case 0xee:
	case 0xef: /* OUT DX, acc */
		port_out(v->tf.edx & 0xffff, op == 0xee ? 1 : wide, v->tf.eax);
		break;
	case 0x6c:
	case 0x6d: /* INS */
		do_string_io(v, false, op == 0x6c ? 1 : wide, rep, a32, 0);
		break;
	case 0x6e:
	case 0x6f: /* OUTS */
		do_string_io(v, true, op == 0x6e ? 1 : wide, rep, a32, seg);
		break;
	case 0xf4: /* HLT */
		if (lin(cs, (uint16_t)v->tf.eip) == mon.stub)
			finish(v);
		/* The BIOS waits for an interrupt: let one happen. */
		arch_idle();
		break;
	default:
		vm86_abort(-EFAULT,
			   "general protection at %04x:%04x (opcode %02x) "
			   "that the monitor does not emulate; aborted",
			   cs, (unsigned)(v->tf.eip & 0xffff), op);
	}
	v->tf.eip = ip;
}

void vm86_trap(struct trap_frame *f)
{
	struct vm86_frame *v = (struct vm86_frame *)f;

	if (!mon.active)
		panic("vm86: trap %u from VM86 mode with no call running",
		      f->vector);
	mon.stats.traps++;
	if (f->vector == 13) {
		emulate(v);
		check_deadline(v);
		return;
	}
	const char *name = f->vector < 32 && fault_names[f->vector]
				   ? fault_names[f->vector]
				   : "exception";
	if (f->vector == 14)
		vm86_abort(-EFAULT,
			   "%s (vector 14, error %#x, address %08x) at "
			   "%04x:%04x; aborted",
			   name, f->error, read_cr2(), f->cs & 0xffff,
			   f->eip & 0xffff);
	vm86_abort(-EFAULT, "%s (vector %u) at %04x:%04x; aborted", name,
		   f->vector, f->cs & 0xffff, f->eip & 0xffff);
}

void vm86_after_irq(struct trap_frame *f)
{
	if (!mon.active)
		return;
	mon.stats.irqs++;
	check_deadline((struct vm86_frame *)f);
}

/* ---- calls */

/*
 * Calls are serialised by a mutex once the scheduler runs: a second caller
 * sleeps, and the running call stays preemptible (its IRQs arrive on the
 * caller's stack and the tick may switch processes there). Before the
 * scheduler starts there is one thread of control and a flag is enough
 * (no caller runs that early today: the boot mode set is in
 * arch_late_init).
 */
static struct mutex vm86_mutex;
static bool vm86_mutex_ready;
static struct proc_resource vm86_resource;
static void *vm86_page;

static int vm86_lock(void)
{
	if (!sched_running()) {
		irq_state_t s = arch_irq_save();
		int rc = mon.busy ? -EBUSY : 0;
		mon.busy = true;
		arch_irq_restore(s);
		return rc;
	}
	irq_state_t s = arch_irq_save();
	if (!vm86_mutex_ready) {
		mutex_init(&vm86_mutex, "vm86");
		vm86_mutex_ready = true;
	}
	arch_irq_restore(s);
	int rc = mutex_lock(&vm86_mutex);
	if (rc == 0)
		mon.busy = true;
	return rc;
}

static void vm86_unlock(void)
{
	mon.busy = false;
	if (sched_running() && vm86_mutex_ready &&
	    mutex_held_by_me(&vm86_mutex))
		mutex_unlock(&vm86_mutex);
}

static bool page0_open; /* x86_mmu_vm86_access(true) done for this call */

/* Undo a call's setup as far as it got: close the page-0 window, give the
 * stack back and let the next caller in. */
static void teardown(void)
{
	if (page0_open)
		x86_mmu_vm86_access(false);
	page0_open = false;
	if (vm86_page)
		vm86_free(vm86_page);
	vm86_page = NULL;
	vm86_unlock();
}

/* The calling process exits in the middle of a call: it was killed while
 * preempted in VM86 code, or anywhere between taking the monitor and
 * giving it back (run() registers this before anything else). */
static void vm86_release(struct proc_resource *r)
{
	(void)r;
	printk("vm86: the calling process exited during a BIOS call; the "
	       "call is abandoned\n");
	mon.active = false;
	mon.stats.failed++;
	teardown();
}

void *vm86_alloc(size_t size, uintptr_t *phys)
{
	irq_state_t s = arch_irq_save();
	void *p = lowmem_alloc(&kernel_lowmem, size, phys);
	arch_irq_restore(s);
	return p;
}

void vm86_free(void *p)
{
	irq_state_t s = arch_irq_save();
	lowmem_free(&kernel_lowmem, p);
	arch_irq_restore(s);
}

static int set_error(int rc, const char *fmt, ...) PRINTF_LIKE(2, 3);
static int set_error(int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(mon.error, sizeof(mon.error), fmt, ap);
	va_end(ap);
	printk("%s\n", mon.error);
	mon.stats.failed++;
	return rc;
}

/* A call stays on the CPU it started on: traps out of VM86 code land on
 * that CPU's TSS esp0, which names the caller's stack. The caller is
 * pinned there for the call and its own pin (or none) put back after.
 * Returns the pin to restore, or -2 when there is nothing to restore
 * (before the scheduler). */
static int pin_caller(void)
{
	if (!sched_running())
		return -2;
	int pid = proc_current()->pid, old = proc_pinned(pid);
	int rc = proc_pin(pid, (int)arch_cpu_id());
	if (rc < 0)
		printk("vm86: cannot keep process %d on cpu %u: %s\n", pid,
		       arch_cpu_id(), err_name(rc));
	return old;
}

static void unpin_caller(int old)
{
	if (old != -2)
		proc_pin(proc_current()->pid, old < 0 ? -1 : old);
}

static int run(bool from_vector, uint8_t vector, uint16_t cs, uint16_t ip,
	       struct vm86_regs *r, unsigned timeout_ms)
{
	uintptr_t phys;

	/* No kill lands during the setup (taking the monitor, registering
	 * its release, pinning, the stack, page 0): its steps do not block,
	 * and with preemption off nothing switches away. After it a kill at
	 * any preemption point is undone by vm86_release. (Kills that landed
	 * in this window on another CPU left page 0 mapped.) */
	sched_preempt_disable();
	int rc = vm86_lock();
	if (rc < 0) {
		sched_preempt_enable();
		return rc;
	}
	if (sched_running()) {
		vm86_resource.release = vm86_release;
		proc_resource_add(&vm86_resource);
	}
	int old_pin = pin_caller();
	mon.stats.calls++;
	uint8_t *page = vm86_alloc(VM86_STACK_SIZE, &phys);
	vm86_page = page;
	if (!page) {
		rc = set_error(-ENOMEM,
			       "vm86: no low memory for the VM86 stack "
			       "(%s)",
			       lowmem_last_error(&kernel_lowmem));
		goto out;
	}
	rc = x86_mmu_vm86_access(true);
	page0_open = rc == 0;
	if (rc < 0) {
		rc = set_error(rc, "vm86: cannot map page 0 (IVT, BDA): %s",
			       err_name(rc));
		goto out;
	}
	if (from_vector) {
		const volatile uint16_t *ivt = (const volatile uint16_t *)0;
		__asm__("" : "+r"(ivt));
		ip = ivt[vector * 2];
		cs = ivt[vector * 2 + 1];
		if (!cs && !ip) {
			rc = set_error(-ENOSYS,
				       "vm86: INT %02xh has no real-mode "
				       "handler (IVT entry 0000:0000)",
				       vector);
			goto out;
		}
	}

	/* The stub HLT at offset 0, the stack at the top of the page with an
	 * INT frame that returns to the stub. */
	uint16_t seg = (uint16_t)(phys >> 4);
	page[0] = 0xf4;
	uint16_t *sp = (uint16_t *)(page + VM86_STACK_SIZE);
	*--sp = 0x0202; /* FLAGS: IF */
	*--sp = seg;
	*--sp = 0;
	struct vm86_entry e = {
		.eax = r->eax,
		.ebx = r->ebx,
		.ecx = r->ecx,
		.edx = r->edx,
		.esi = r->esi,
		.edi = r->edi,
		.ebp = r->ebp,
		.eip = ip,
		.cs = cs,
		.eflags = X86_EFLAGS_VM | X86_EFLAGS_IF | 0x2,
		.esp = VM86_STACK_SIZE - 6,
		.ss = seg,
		.es = r->es,
		.ds = r->ds,
	};
	mon.from_vector = from_vector;
	mon.vector = vector;
	mon.stub = (uint32_t)phys;
	mon.vif = false;
	mon.depth = 1;
	mon.out = r;
	mon.timeout_ms = timeout_ms ? timeout_ms : VM86_TIMEOUT_MS;
	mon.start_tick = tick_count();
	mon.budget = VM86_BOOT_TRAP_BUDGET;
	mon.deadline =
		tick_count() + mon.timeout_ms * (uint64_t)CONFIG_HZ / 1000 + 1;
	sched_preempt_enable();
	mon.active = true;
	rc = vm86_enter(&e, x86_tss_esp0());
	mon.active = false;
	/* the release must not run as well: no kill until the unlock */
	sched_preempt_disable();
out:
	if (sched_running())
		proc_resource_remove(&vm86_resource);
	unpin_caller(old_pin);
	teardown();
	sched_preempt_enable();
	return rc;
}

int vm86_int(uint8_t vector, struct vm86_regs *r)
{
	return run(true, vector, 0, 0, r, 0);
}

int vm86_call(uint16_t cs, uint16_t ip, struct vm86_regs *r,
	      unsigned timeout_ms)
{
	return run(false, 0, cs, ip, r, timeout_ms);
}

const char *vm86_last_error(void)
{
	return mon.error;
}

void vm86_get_stats(struct vm86_stats *s)
{
	*s = mon.stats;
}

bool vm86_busy(void)
{
	return mon.busy;
}
