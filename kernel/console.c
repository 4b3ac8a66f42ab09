/*
 * The console layer: fan output out to the arch console and every
 * registered console ("\n" becomes "\r\n" on the serial line only); merge
 * the serial line's input and the registered input devices' into one
 * stream with one wait queue for the readers.
 */
#include <arch/console.h>
#include <arch/irq.h>
#include <kernel/console.h>
#include <kernel/klock.h>
#include <kernel/printk.h>
#include <kernel/rlock.h>
#include <kernel/sched.h>
#include <lib/err.h>

/* Console output: the list of consoles, the sink, and each write, so
 * lines from several CPUs do not interleave. The highest rank: printk
 * may be called under any other lock. */
static struct rlock console_lock = RLOCK_INIT(LOCK_RANK_CONSOLE, "console");

irq_state_t console_lock_irqsave(void)
{
	return rlock_irqsave(&console_lock);
}

void console_unlock_irqrestore(irq_state_t s)
{
	rlock_irqrestore(&console_lock, s);
}

static struct console *consoles;
static struct console_sink *sink;

void console_register(struct console *con)
{
	irq_state_t s = console_lock_irqsave();

	con->next = consoles;
	consoles = con;
	console_unlock_irqrestore(s);
}

void console_unregister(struct console *con)
{
	irq_state_t s = console_lock_irqsave();

	for (struct console **p = &consoles; *p; p = &(*p)->next) {
		if (*p == con) {
			*p = con->next;
			break;
		}
	}
	console_unlock_irqrestore(s);
}

void console_write_kernel(const char *s, size_t n)
{
	irq_state_t st = console_lock_irqsave();

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			arch_console_putc('\r');
		arch_console_putc(s[i]);
	}
	for (struct console *c = consoles; c; c = c->next)
		c->write(c, s, n);
	console_unlock_irqrestore(st);
}

void console_set_sink(struct console_sink *new_sink)
{
	irq_state_t s = console_lock_irqsave();

	sink = new_sink;
	console_unlock_irqrestore(s);
}

/* The sink is read once: its owner may remove it while another process
 * writes (the sink's memory is the owner's and outlives the removal). */
void console_write(const char *s, size_t n)
{
	struct console_sink *to = __atomic_load_n(&sink, __ATOMIC_RELAXED);

	if (to && sched_running() && proc_current()->pid != to->owner)
		to->write(to, s, n);
	else
		console_write_kernel(s, n);
}

void console_vprintf(const char *fmt, va_list ap)
{
	char buf[512];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n > 0)
		console_write(buf, n < (int)sizeof(buf) ? (size_t)n
							: sizeof(buf) - 1);
}

void console_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	console_vprintf(fmt, ap);
	va_end(ap);
}

/* Bytes the input devices pushed, from their IRQ handlers; taken with
 * IRQs off. ring_head - ring_tail is the fill (unsigned wrap-around). */
#define INPUT_RING 64 /* power of two */
static char ring[INPUT_RING];
static unsigned ring_head, ring_tail;
static struct console_input *inputs;
static struct wait_queue input_wait = {LIST_INIT(input_wait.waiters)};
/* Whether the serial line interrupts on input (else it is polled). */
static bool serial_irq;

/* One byte read ahead by console_input_ready(), handed out first: the
 * serial line can only be read, not peeked. */
static int lookahead = -1;

void console_input_register(struct console_input *in)
{
	irq_state_t s = klock_irqsave();

	in->next = inputs;
	inputs = in;
	klock_irqrestore(s);
}

/* IRQ context: the serial line has input, or a device pushed some. */
static void input_wake(void)
{
	wait_queue_wake_all(&input_wait);
}

void console_input_push(const char *s, size_t n)
{
	irq_state_t st = klock_irqsave();
	size_t i;

	for (i = 0; i < n && ring_head - ring_tail < INPUT_RING; i++)
		ring[ring_head++ % INPUT_RING] = s[i];
	klock_irqrestore(st);
	if (i)
		input_wake();
}

/* IRQs off: the byte read ahead, else the devices' next, else the serial
 * line's; -1 if none is waiting. */
static int next_byte(void)
{
	int c = lookahead;

	if (c >= 0) {
		lookahead = -1;
		return c;
	}
	if (ring_head != ring_tail)
		return (unsigned char)ring[ring_tail++ % INPUT_RING];
	return arch_console_getc();
}

int console_getc(void)
{
	irq_state_t s = klock_irqsave();
	int c = next_byte();

	klock_irqrestore(s);
	return c;
}

bool console_input_ready(void)
{
	irq_state_t s = klock_irqsave();

	if (lookahead < 0)
		lookahead = next_byte();
	bool ready = lookahead >= 0;
	klock_irqrestore(s);
	return ready;
}

/* The first reader starts the inputs: the serial line's receive interrupt
 * and every registered device. A restarted shell does not again. */
static void start_inputs(void)
{
	static bool started;
	irq_state_t s = klock_irqsave();
	bool first = !started;

	started = true;
	klock_irqrestore(s);
	if (!first)
		return;
	serial_irq = arch_console_rx_notify(input_wake) == 0;
	for (struct console_input *in = inputs; in; in = in->next) {
		int rc = in->start();
		if (rc < 0)
			console_printf("console: no %s (%s)\n", in->name,
				       err_name(rc));
	}
}

int console_read(void)
{
	start_inputs();
	for (;;) {
		irq_state_t s = klock_irqsave();
		int c = next_byte();
		/* Looked for and waited on with IRQs off, so no wake-up is
		 * lost; the timeout stays as a safety net with interrupts. */
		if (c < 0)
			wait_queue_wait(&input_wait, serial_irq ? 1000 : 10);
		klock_irqrestore(s);
		if (c >= 0)
			return c;
	}
}
