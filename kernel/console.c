/*
 * The console layer: fan output out to the arch console and every
 * registered console; "\n" becomes "\r\n" on the serial line only.
 */
#include <arch/console.h>
#include <arch/irq.h>
#include <kernel/console.h>

static struct console *consoles;

void console_register(struct console *con)
{
	irq_state_t s = arch_irq_save();

	con->next = consoles;
	consoles = con;
	arch_irq_restore(s);
}

void console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			arch_console_putc('\r');
		arch_console_putc(s[i]);
	}
	for (struct console *c = consoles; c; c = c->next)
		c->write(c, s, n);
}

int console_getc(void)
{
	return arch_console_getc();
}

int console_set_rx_notify(void (*notify)(void))
{
	return arch_console_rx_notify(notify);
}
