/* The PC's COM ports sit on the I/O port bus: the 16550 driver's
 * register accessors for it. */
#include <arch/pio.h>

#include "pc.h"

static uint8_t pio_read8(uintptr_t base, unsigned reg)
{
	return inb((uint16_t)(base + reg));
}

static void pio_write8(uintptr_t base, unsigned reg, uint8_t value)
{
	outb((uint16_t)(base + reg), value);
}

const struct uart16550_bus pc_pio_uart_bus = {
	.read8 = pio_read8,
	.write8 = pio_write8,
};
