/*
 * PS/2 keyboard: the IRQ 1 handler reads scancodes from the i8042's data
 * port, translates set 1 (the controller's default translation) with a US
 * layout, and pushes the bytes into the console's input.
 */
#include <arch/irq.h>
#include <arch/pio.h>
#include <kernel/console.h>
#include <platform/ps2kbd.h>
#include <stdbool.h>
#include <stddef.h>

#define KBD_DATA   0x60
#define KBD_STATUS 0x64
#define KBD_IRQ	   1

static const char normal[0x3a] = {
	0,   27,  '1',	'2',  '3',  '4', '5', '6',  '7', '8', '9', '0',
	'-', '=', 0x7f, '\t', 'q',  'w', 'e', 'r',  't', 'y', 'u', 'i',
	'o', 'p', '[',	']',  '\r', 0,	 'a', 's',  'd', 'f', 'g', 'h',
	'j', 'k', 'l',	';',  '\'', '`', 0,   '\\', 'z', 'x', 'c', 'v',
	'b', 'n', 'm',	',',  '.',  '/', 0,   '*',  0,	 ' ',
};
static const char shifted[0x3a] = {
	0,   27,  '!',	'@',  '#',  '$', '%', '^', '&', '*', '(', ')',
	'_', '+', 0x7f, '\t', 'Q',  'W', 'E', 'R', 'T', 'Y', 'U', 'I',
	'O', 'P', '{',	'}',  '\r', 0,	 'A', 'S', 'D', 'F', 'G', 'H',
	'J', 'K', 'L',	':',  '"',  '~', 0,   '|', 'Z', 'X', 'C', 'V',
	'B', 'N', 'M',	'<',  '>',  '?', 0,   '*', 0,	' ',
};

static bool shift, ctrl, extended;

int ps2kbd_translate(uint8_t sc, char out[3])
{
	bool release = sc & 0x80;
	uint8_t code = sc & 0x7f;

	if (sc == 0xe0) {
		extended = true;
		return 0;
	}
	if (extended) {
		extended = false;
		if (release)
			return 0;
		char dir = code == 0x48	  ? 'A'
			   : code == 0x50 ? 'B'
			   : code == 0x4d ? 'C'
			   : code == 0x4b ? 'D'
					  : 0;
		if (code == 0x1d) /* right ctrl */
			ctrl = true;
		if (!dir)
			return 0;
		out[0] = 27;
		out[1] = '[';
		out[2] = dir;
		return 3;
	}
	if (code == 0x2a || code == 0x36) {
		shift = !release;
		return 0;
	}
	if (code == 0x1d) {
		ctrl = !release;
		return 0;
	}
	if (release || code >= sizeof(normal))
		return 0;
	char c = shift ? shifted[code] : normal[code];
	if (!c)
		return 0;
	if (ctrl && c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 1);
	out[0] = c;
	return 1;
}

static void kbd_irq(unsigned irq, void *arg)
{
	(void)irq;
	(void)arg;

	while (inb(KBD_STATUS) & 1) {
		char out[3];
		int n = ps2kbd_translate(inb(KBD_DATA), out);
		console_input_push(out, (size_t)n);
	}
}

static int kbd_start(void)
{
	while (inb(KBD_STATUS) & 1) /* drop what the firmware left */
		(void)inb(KBD_DATA);
	return arch_irq_attach(KBD_IRQ, kbd_irq, NULL);
}

static struct console_input kbd_input = {"PS/2 keyboard", kbd_start, NULL};

void ps2kbd_register(void)
{
	console_input_register(&kbd_input);
}
