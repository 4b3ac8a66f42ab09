/*
 * VGA text console: 80x25 cells of (character, attribute), scrolling, and
 * the hardware cursor through the CRT controller.
 */
#include <arch/pio.h>
#include <kernel/console.h>
#include <platform/vga_text.h>
#include <stdint.h>
#include <string.h>

#define COLS	   80
#define ROWS	   25
#define ATTR	   0x07 /* light grey on black */
#define CRTC_INDEX 0x3d4
#define CRTC_DATA  0x3d5

static volatile uint16_t *cells;
static unsigned col, row;

static void update_cursor(void)
{
	unsigned pos = row * COLS + col;

	outb(CRTC_INDEX, 0x0f);
	outb(CRTC_DATA, pos & 0xff);
	outb(CRTC_INDEX, 0x0e);
	outb(CRTC_DATA, (pos >> 8) & 0xff);
}

static void scroll(void)
{
	for (unsigned i = 0; i < (ROWS - 1) * COLS; i++)
		cells[i] = cells[i + COLS];
	for (unsigned i = (ROWS - 1) * COLS; i < ROWS * COLS; i++)
		cells[i] = (uint16_t)(ATTR << 8 | ' ');
	row = ROWS - 1;
}

static void put(char c)
{
	switch (c) {
	case '\n':
		col = 0;
		row++;
		break;
	case '\r': col = 0; break;
	case '\b':
		if (col)
			col--;
		break;
	case '\t': col = (col + 8) & ~7u; break;
	default:
		cells[row * COLS + col] = (uint16_t)(ATTR << 8 | (uint8_t)c);
		col++;
	}
	if (col >= COLS) {
		col = 0;
		row++;
	}
	if (row >= ROWS)
		scroll();
}

static void vga_write(struct console *con, const char *s, size_t n)
{
	if (!cells)
		return;
	for (size_t i = 0; i < n; i++)
		put(s[i]);
	update_cursor();
}

static struct console vga_console = {.name = "vga", .write = vga_write};

void vga_text_set_buffer(void *buffer)
{
	cells = buffer;
}

volatile void *vga_text_buffer(void)
{
	return cells;
}

void vga_text_console_init(void *buffer)
{
	cells = buffer;
	for (unsigned i = 0; i < ROWS * COLS; i++)
		cells[i] = (uint16_t)(ATTR << 8 | ' ');
	col = row = 0;
	update_cursor();
	console_register(&vga_console);
}
