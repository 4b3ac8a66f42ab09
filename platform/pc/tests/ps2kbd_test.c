/*
 * The PS/2 keyboard's scancode translation (set 1, US layout), where the
 * driver is built.
 */
#include <ktest.h>
#include <string.h>
#ifdef CONFIG_DRIVER_PS2KBD
#include <platform/ps2kbd.h>

/* Feed scancodes; return the bytes produced. */
static const char *keys(const uint8_t *sc, int n)
{
	static char out[32];
	int len = 0;
	for (int i = 0; i < n; i++) {
		char b[3];
		int k = ps2kbd_translate(sc[i], b);
		for (int j = 0; j < k && len < 31; j++)
			out[len++] = b[j];
	}
	out[len] = '\0';
	return out;
}

KTEST(ps2kbd, scancodes_become_bytes)
{
	static const uint8_t hello[] = {0x23, 0xa3, 0x12, 0x92, 0x26, 0xa6,
					0x26, 0xa6, 0x18, 0x98, 0x1c, 0x9c};
	KT_EXPECT_STREQ(t, keys(hello, sizeof(hello)), "hello\r");
	/* shift held: capitals and symbols; released: lower case again */
	static const uint8_t shifted[] = {0x2a, 0x1e, 0x02, 0xaa, 0x1e};
	KT_EXPECT_STREQ(t, keys(shifted, sizeof(shifted)), "A!a");
	/* arrows (E0-prefixed) become ANSI sequences; releases are silent */
	static const uint8_t arrows[] = {0xe0, 0x48, 0xe0, 0xc8, 0xe0, 0x4b};
	KT_EXPECT_STREQ(t, keys(arrows, sizeof(arrows)), "\x1b[A\x1b[D");
	/* ctrl-c, backspace; unknown codes give nothing */
	static const uint8_t ctl[] = {0x1d, 0x2e, 0x9d, 0x0e, 0x58, 0x7f};
	KT_EXPECT_STREQ(t, keys(ctl, sizeof(ctl)), "\x03\x7f");
}
#endif
