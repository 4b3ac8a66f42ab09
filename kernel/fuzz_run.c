/*
 * One run of the fuzz boot: a process under a time limit, maybe killed
 * after a delay, its console output captured (see <kernel/fuzz.h>).
 *
 * Landing a kill at a chosen point. The caller runs above the process's
 * priority, so it acts the moment it wakes; but it only wakes on a tick,
 * and a sleep lasts at least one whole tick. So the delay is split into
 * whole ticks and a remainder r: the caller spins to a tick edge, then
 * until r before the next edge, starts the process, and lets a tick alarm
 * wake it on the edge that lies the delay after the start. A kill can thus
 * land anywhere in the first microseconds of a run (while the module
 * loads), not only on tick edges.
 *
 * The spin and the report count cycles (arch_cycles_hz()): the clock
 * (arch_time_ns) interpolates within a tick at a rate averaged over the
 * whole boot and capped at the tick, which the emulator's stalls make
 * wrong by milliseconds. Stalls (TCG on a busy host stops the virtual CPU
 * now and then for a few milliseconds, then delivers the ticks late and
 * bunched) move kills all the same, so the time a kill was actually sent
 * is measured and reported beside the delay aimed at. A seed repeats the
 * delays, not necessarily the kill points.
 *
 * (A process killed before it has run at all still runs until its first
 * preemption: the scheduler checks the kill when it switches a process
 * back in, and a new process's first run does not come that way.)
 */
#include <arch/irq.h>
#include <arch/ops.h>
#include <arch/timer.h>
#include <kernel/console.h>
#include <kernel/fuzz.h>
#include <kernel/klock.h>
#include <kernel/sched.h>
#include <kernel/tick.h>
#include <lib/err.h>
#include <string.h>

#define TICK_NS	 (1000000000ull / CONFIG_HZ)
#define STUCK_MS 10000u
/* How often the caller looks at a running process (it sleeps between). */
#define POLL_MS 10u

struct capture {
	struct console_sink sink; /* first: the sink is the capture */
	struct fuzz_run *run;
};

static void capture_write(struct console_sink *sink, const char *s, size_t n)
{
	struct capture *c = (struct capture *)sink;
	struct fuzz_run *r = c->run;
	/* The threads of a program may write at once. */
	irq_state_t st = klock_irqsave();
	size_t room = FUZZ_OUTPUT_KEEP - r->kept;
	size_t take = n < room ? n : room;

	memcpy(r->output + r->kept, s, take);
	r->kept += take;
	r->output_bytes += n;
	klock_irqrestore(st);
}

static void wake_caller(void *arg)
{
	wait_queue_wake_one(arg);
}

/* Spin to a tick edge, then until `remainder_ns` before the next one.
 * Spinning, not sleeping, to see the edge: a halted virtual CPU is woken
 * late (its host thread must wake first, about 0.2 ms under TCG), a busy
 * one takes the interrupt at once. A spin that ran into the next tick (a
 * stall) starts again, so the process starts before the tick its kill is
 * aimed at. Returns the edge's tick count. */
static uint64_t align_to_tick(uint64_t remainder_ns)
{
	uint64_t hz = arch_cycles_hz();

	for (int tries = 0;; tries++) {
		uint64_t edge = tick_count() + 1;
		while (tick_count() < edge)
			;
		uint64_t c0 = arch_cycles(), t0 = arch_time_ns();
		uint64_t spin_ns = remainder_ns ? TICK_NS - remainder_ns : 0;
		while (tick_count() == edge &&
		       (hz ? (arch_cycles() - c0) * 1000000000ull / hz
			   : arch_time_ns() - t0) < spin_ns)
			;
		if (tick_count() == edge || tries == 3)
			return edge;
	}
}

/* Sleep until the tick count reaches `when` (at once if it has). */
static void sleep_until_tick(uint64_t when)
{
	struct wait_queue wq;

	wait_queue_init(&wq);
	irq_state_t s = klock_irqsave();
	if (tick_count() < when && tick_set_alarm(when, wake_caller, &wq) == 0)
		wait_queue_wait(&wq, 0);
	klock_irqrestore(s);
}

int fuzz_run_one(int (*spawn)(void *arg), void *arg, struct fuzz_run *r)
{
	struct proc *self = proc_current();
	int prio = self->prio;
	struct capture cap = {{capture_write, self->pid}, r};
	uint64_t delay_ns = (uint64_t)r->kill_after_us * 1000;
	uint64_t kill_tick = 0;
	int status = 0;

	r->status = 0;
	r->timed_out = r->killed = r->stuck = false;
	r->ran_us = r->kill_sent_us = 0;
	r->output_bytes = r->kept = 0;
	if (prio <= PROC_PRIO_DEFAULT)
		proc_set_prio(self->pid, PROC_PRIO_DEFAULT + 1);
	if (r->kill) {
		uint64_t edge = align_to_tick(delay_ns % TICK_NS);
		kill_tick = edge + (delay_ns + TICK_NS - 1) / TICK_NS;
	}
	console_set_sink(&cap.sink);
	uint64_t start = arch_time_ns(), start_cycles = arch_cycles();
	int pid = spawn(arg);
	if (pid < 0) {
		console_set_sink(NULL);
		proc_set_prio(self->pid, prio);
		return pid;
	}

	uint64_t stuck_ns = (r->stuck_ms ? r->stuck_ms : STUCK_MS) * 1000000ull;
	bool kill_sent = false, limit_sent = false;
	uint64_t killed_at = 0;
	if (r->kill) {
		sleep_until_tick(kill_tick);
		proc_kill(pid);
		kill_sent = true;
		killed_at = arch_time_ns();
		uint64_t hz = arch_cycles_hz();
		r->kill_sent_us =
			hz ? (arch_cycles() - start_cycles) * 1000000 / hz
			   : (killed_at - start) / 1000;
	}
	for (;;) {
		int rc = proc_wait_flags(pid, &status, PROC_WAIT_NOHANG);
		if (rc != -EAGAIN)
			break;
		uint64_t now = arch_time_ns();
		if (!killed_at && now - start >= r->limit_ms * 1000000ull) {
			proc_kill(pid);
			limit_sent = true;
			killed_at = now;
		} else if (killed_at && now - killed_at >= stuck_ns) {
			r->stuck = true;
			break;
		}
		proc_sleep_ms(POLL_MS);
	}
	r->ran_us = (arch_time_ns() - start) / 1000;
	console_set_sink(NULL);
	proc_set_prio(self->pid, prio);
	/* A kill that came after the process had ended changes nothing. */
	r->status = status;
	r->killed = kill_sent && status == PROC_EXIT_KILLED;
	r->timed_out = limit_sent && status == PROC_EXIT_KILLED;
	return 0;
}
