/*
 * The console layer: fan output out to the arch console and every
 * registered console; "\n" becomes "\r\n" on the serial line only.
 */
#include <arch/console.h>
#include <arch/irq.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/sched.h>

static struct console *consoles;
static struct console_sink *sink;

void console_register(struct console *con)
{
	irq_state_t s = arch_irq_save();

	con->next = consoles;
	consoles = con;
	arch_irq_restore(s);
}

void console_unregister(struct console *con)
{
	irq_state_t s = arch_irq_save();

	for (struct console **p = &consoles; *p; p = &(*p)->next) {
		if (*p == con) {
			*p = con->next;
			break;
		}
	}
	arch_irq_restore(s);
}

void console_write_kernel(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			arch_console_putc('\r');
		arch_console_putc(s[i]);
	}
	for (struct console *c = consoles; c; c = c->next)
		c->write(c, s, n);
}

void console_set_sink(struct console_sink *new_sink)
{
	irq_state_t s = arch_irq_save();

	sink = new_sink;
	arch_irq_restore(s);
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

/* One byte read ahead by console_input_ready(), handed out first. The
 * arch console can only be read, not peeked. */
static int lookahead = -1;

int console_getc(void)
{
	irq_state_t s = arch_irq_save();
	int c = lookahead;

	lookahead = -1;
	arch_irq_restore(s);
	return c >= 0 ? c : arch_console_getc();
}

bool console_input_ready(void)
{
	irq_state_t s = arch_irq_save();

	if (lookahead < 0)
		lookahead = arch_console_getc();
	bool ready = lookahead >= 0;
	arch_irq_restore(s);
	return ready;
}

int console_set_rx_notify(void (*notify)(void))
{
	return arch_console_rx_notify(notify);
}
