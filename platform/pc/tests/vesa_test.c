/*
 * VESA VBE through the VM86 monitor, under QEMU's std VGA (SeaVGABIOS):
 * the mode list, mode sets at every depth, pixels written through the DMA
 * window read back through a second window onto the same VRAM, console text
 * drawn in the font, the window going away on a mode change, and the
 * return to text mode (the suites after this one expect text mode).
 */
#include <arch/mmu.h>
#include <arch/vm86.h>
#include <drivers/fb.h>
#include <drivers/fb_layout.h>
#include <drivers/fbcon.h>
#include <drivers/font.h>
#include <ktest.h>
#include <lib/err.h>
#include <mm/dma.h>
#include <mm/layout.h>
#include <mm/mm.h>
#include <platform/vesa.h>
#include <platform/vga_text.h>
#include <string.h>

static struct vesa_info info;

KTEST(vesa, controller_info_and_mode_list)
{
	struct vesa_mode m;
	unsigned usable = 0;

	KT_ASSERT_EQ(t, vesa_probe(&info), 0);
	ktest_log(t, "VBE %x.%x, %u KiB, \"%s\", %u modes", info.version >> 8,
		  info.version & 0xff, info.memory_kib, info.oem,
		  info.mode_count);
	KT_EXPECT(t, info.version >= 0x0200);
	KT_EXPECT(t, info.memory_kib >= 4096);
	KT_ASSERT(t, info.mode_count > 0);
	for (unsigned i = 0; i < info.mode_count; i++) {
		KT_ASSERT_EQ(t, vesa_mode_info(info.modes[i], &m), 0);
		if (vesa_mode_usable(&m)) {
			usable++;
			KT_EXPECT(t, m.pitch >= m.width * ((m.bpp + 7) / 8));
			KT_EXPECT(t, m.phys >= 0x100000);
		}
	}
	ktest_log(t, "%u usable linear-framebuffer modes", usable);
	KT_EXPECT(t, usable > 0);
}

KTEST(vesa, best_match_finds_the_default_mode)
{
	struct vesa_mode m;

	KT_ASSERT_EQ(t, vesa_find_mode(1024, 768, 32, &m), 0);
	KT_EXPECT_EQ(t, m.width, 1024);
	KT_EXPECT_EQ(t, m.height, 768);
	KT_EXPECT_EQ(t, m.bpp, 32);
	/* No 1000x700: the largest mode not above it. */
	KT_ASSERT_EQ(t, vesa_find_mode(1000, 700, 32, &m), 0);
	KT_EXPECT(t, m.width <= 1000 && m.height <= 700);
	KT_EXPECT_EQ(t, m.width, 800);
	KT_EXPECT_EQ(t, vesa_find_mode(100, 100, 32, &m), -ENOENT);
}

KTEST(vesa, mode_strings_are_checked)
{
	unsigned w, h, b;

	KT_EXPECT_EQ(t, vesa_parse_mode("1024x768x32", &w, &h, &b), 0);
	KT_EXPECT(t, w == 1024 && h == 768 && b == 32);
	KT_EXPECT_EQ(t, vesa_parse_mode("800x600", &w, &h, &b), 0);
	KT_EXPECT_EQ(t, b, 32);
	KT_EXPECT_EQ(t, vesa_parse_mode("text", &w, &h, &b), 0);
	KT_EXPECT_EQ(t, w, 0);
	static const char *const bad[] = {"",
					  "x",
					  "1024",
					  "1024x",
					  "1024x768x",
					  "1024x768x7",
					  "10x10x32",
					  "abc",
					  "1024x768x32x1",
					  "99999999x1x32",
					  "-1x768x32"};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		KT_EXPECT_MSG(t, vesa_parse_mode(bad[i], &w, &h, &b) == -EINVAL,
			      "'%s' accepted", bad[i]);
	KT_EXPECT_EQ(t, vesa_set_mode_string("1x1x1"), -EINVAL);
}

/* Set w x h x bpp, write a pattern through the console's window and read it
 * back through a second window onto the same physical framebuffer. */
static void pixels_round_trip(struct ktest *t, unsigned w, unsigned h,
			      unsigned bpp)
{
	struct vesa_mode m;
	struct fb fb;

	if (vesa_find_mode(w, h, bpp, &m) < 0 || m.bpp != bpp || m.width != w) {
		ktest_log(t, "no %ux%ux%u mode", w, h, bpp);
		return;
	}
	KT_ASSERT_EQ(t, vesa_set_mode(&m, &fb), 0);
	KT_EXPECT(t, vesa_current() != NULL);
	KT_EXPECT(t, (uintptr_t)fb.base >= mm_dma_floor());
	KT_EXPECT(t, (uintptr_t)fb.base < mm_layout.dma_top);
	KT_EXPECT_EQ(t, fb_validate(&fb), 0);

	volatile uint8_t *alias =
		dma_map(fb.phys, (size_t)fb.pitch * fb.height, DMA_UNCACHED);
	KT_ASSERT(t, alias != NULL);
	struct fb other = fb;
	other.base = alias;
	static const uint32_t rgb[] = {0xff0000, 0x00ff00, 0x0000ff, 0xffffff,
				       0x555555};
	unsigned bad = 0;
	for (unsigned i = 0; i < 5; i++) {
		uint32_t px = fb_color(&fb, rgb[i]);
		unsigned x = (i * 97 + 13) % fb.width,
			 y = (i * 53 + 7) % fb.height;
		fb_put_pixel(&fb, x, y, px);
		if (fb_get_pixel(&other, x, y) != px) {
			ktest_log(t, "pixel %u,%u: wrote %#x, read %#x", x, y,
				  px, fb_get_pixel(&other, x, y));
			bad++;
		}
		/* pure colours survive every direct-colour format (8 bpp
		 * uses the nearest of the 16 VGA colours) */
		if (i < 4 && bpp != 8 && fb_rgb(&fb, px) != rgb[i]) {
			ktest_log(t, "%06x -> %#x -> %06x", rgb[i], px,
				  fb_rgb(&fb, px));
			bad++;
		}
	}
	fb_fill(&fb, fb.width - 10, fb.height - 10, 10, 10,
		fb_color(&fb, 0x00ff00));
	if (fb_get_pixel(&other, fb.width - 1, fb.height - 1) !=
	    fb_color(&fb, 0x00ff00))
		bad++;
	/* A glyph at this depth: every pixel foreground or background. */
	uint32_t fg = fb_color(&fb, 0xffffff), bg = fb_color(&fb, 0x0000aa);
	fb_draw_char(&fb, 16, 32, 'A', fg, bg);
	for (unsigned y = 0; y < FONT_HEIGHT; y++)
		for (unsigned x = 0; x < FONT_WIDTH; x++)
			if (fb_get_pixel(&other, 16 + x, 32 + y) !=
			    (font8x16['A'][y] & (0x80 >> x) ? fg : bg))
				bad++;
	KT_EXPECT_EQ(t, bad, 0);
	KT_EXPECT_EQ(t, dma_unmap((void *)alias), 0);
	ktest_log(t, "%ux%ux%u: mode %#x, framebuffer %#llx at %p", w, h, bpp,
		  m.number, (unsigned long long)fb.phys, (void *)fb.base);
}

KTEST(vesa, pixels_read_back_at_every_depth)
{
	pixels_round_trip(t, 640, 480, 32);
	pixels_round_trip(t, 640, 480, 24);
	pixels_round_trip(t, 640, 480, 16);
	pixels_round_trip(t, 640, 480, 15);
	pixels_round_trip(t, 640, 480, 8);
	pixels_round_trip(t, 1024, 768, 32);
	KT_EXPECT_EQ(t, vesa_set_text_mode(), 0);
}

KTEST(vesa, mode_change_unmaps_the_window)
{
	struct vesa_mode a;
	struct fb fb;

	struct vm86_stats s0, s1;

	KT_ASSERT_EQ(t, vesa_find_mode(800, 600, 32, &a), 0);
	unsigned before = kernel_dma.count;
	vm86_get_stats(&s0);
	KT_ASSERT_EQ(t, vesa_set_mode(&a, &fb), 0);
	vm86_get_stats(&s1);
	ktest_log(t, "one mode set: %lu traps, %lu emulated INTs",
		  s1.traps - s0.traps, s1.emulated_ints - s0.emulated_ints);
	KT_EXPECT_EQ(t, kernel_dma.count, before + 1);
	uintptr_t va = (uintptr_t)fb.base;
	KT_ASSERT_EQ(t, vesa_set_mode(&a, &fb), 0); /* again: one window */
	KT_EXPECT_EQ(t, kernel_dma.count, before + 1);
	va = (uintptr_t)fb.base;
	KT_EXPECT_EQ(t, vesa_set_text_mode(), 0);
	KT_EXPECT_EQ(t, kernel_dma.count, before);
	KT_EXPECT_EQ(t, arch_mmu_query(va, NULL, NULL), -ENOENT);
	KT_EXPECT(t, vesa_current() == NULL);
}

/* Every glyph pixel of `s` at cell (col, row) in fg/bg colour indices. */
static unsigned glyph_mismatches(const struct fb *fb, unsigned col,
				 unsigned row, const char *s, unsigned fg,
				 unsigned bg)
{
	unsigned bad = 0;
	uint32_t pf = fb_color(fb, fbcon_palette(fg));
	uint32_t pb = fb_color(fb, fbcon_palette(bg));

	for (; *s; s++, col++) {
		unsigned x0, y0;
		fbcon_cell_origin(col, row, &x0, &y0);
		const uint8_t *g = font8x16[(uint8_t)*s];
		for (unsigned y = 0; y < FONT_HEIGHT; y++)
			for (unsigned x = 0; x < FONT_WIDTH; x++) {
				uint32_t want = g[y] & (0x80 >> x) ? pf : pb;
				if (fb_get_pixel(fb, x0 + x, y0 + y) != want)
					bad++;
			}
	}
	return bad;
}

static void say(const char *s)
{
	fbcon_write(s, strlen(s));
}

KTEST(vesa, console_text_is_drawn_in_the_font)
{
	unsigned cols, rows, col, row, fg, bg;

	KT_ASSERT_EQ(t, vesa_set_mode_string("640x480x32"), 0);
	const struct fb *fb = fbcon_fb();
	KT_ASSERT(t, fb != NULL);
	KT_EXPECT(t, vga_text_buffer() == NULL); /* the text mirror is off */
	fbcon_geometry(&cols, &rows);
	KT_EXPECT_EQ(t, cols, 80);
	KT_EXPECT(t, rows >= 10);

	say("\x1b[2J\x1b[H");
	say("plain \x1b[1;31mred\x1b[0m \x1b[44mbg");
	KT_EXPECT_EQ(t, fbcon_cell(0, 0, &fg, &bg), 'p');
	KT_EXPECT(t, fg == 7 && bg == 0);
	KT_EXPECT_EQ(t, fbcon_cell(6, 0, &fg, &bg), 'r');
	KT_EXPECT(t, fg == 9 && bg == 0); /* bright red */
	KT_EXPECT_EQ(t, fbcon_cell(10, 0, &fg, &bg), 'b');
	KT_EXPECT(t, fg == 7 && bg == 4);
	KT_EXPECT_EQ(t, glyph_mismatches(fb, 0, 0, "plain", 7, 0), 0);
	KT_EXPECT_EQ(t, glyph_mismatches(fb, 6, 0, "red", 9, 0), 0);
	fbcon_cursor(&col, &row);
	KT_EXPECT(t, col == 12 && row == 0);

	/* Scrolling: the first line moves up when the screen is full. */
	say("\x1b[0m\x1b[2J\x1b[HFIRST\n");
	for (unsigned i = 1; i < rows; i++)
		say("line\n");
	KT_EXPECT_EQ(t, fbcon_cell(0, 0, NULL, NULL), 'l');
	KT_EXPECT_EQ(t, glyph_mismatches(fb, 0, 0, "line", 7, 0), 0);
	fbcon_cursor(&col, &row);
	KT_EXPECT_EQ(t, row, rows - 1);

	/* Cursor addressing and erasing. */
	say("\x1b[3;5HXY\x1b[2D\x1b[K");
	fbcon_cursor(&col, &row);
	KT_EXPECT(t, col == 4 && row == 2);
	KT_EXPECT_EQ(t, fbcon_cell(4, 2, NULL, NULL), ' ');
	say("\x1b[HZ\x1b[J");
	KT_EXPECT_EQ(t, fbcon_cell(0, 0, NULL, NULL), 'Z');
	KT_EXPECT_EQ(t, fbcon_cell(0, 1, NULL, NULL), ' ');
	KT_EXPECT_EQ(t, glyph_mismatches(fb, 0, 1, "    ", 7, 0), 0);

	/* fb_scroll moves pixel lines up and clears the freed ones. */
	uint32_t red = fb_color(fb, 0xff0000), black = fb_color(fb, 0);
	fb_fill(fb, 0, 300, 8, 40, black);
	fb_put_pixel(fb, 5, 320, red);
	fb_scroll(fb, 300, 40, 10, black);
	KT_EXPECT_EQ(t, fb_get_pixel(fb, 5, 310), red);
	KT_EXPECT_EQ(t, fb_get_pixel(fb, 5, 320), black);

	/* The layout picture is above the text: its bars in their colours. */
	unsigned x0, y0;
	fbcon_cell_origin(0, 0, &x0, &y0);
	KT_EXPECT_EQ(t, y0, fb_layout_height());

	KT_EXPECT_EQ(t, vesa_set_mode_string("text"), 0);
	KT_EXPECT(t, !fbcon_active());
	KT_EXPECT(t, vga_text_buffer() != NULL);
}

KTEST(vesa, console_rejects_a_bad_framebuffer)
{
	struct fb fb = {0};
	static uint32_t pixels[64 * 32];

	KT_EXPECT_EQ(t, fbcon_attach(&fb, 0), -EINVAL);
	fb = (struct fb){.base = (volatile uint8_t *)pixels,
			 .width = 64,
			 .height = 32,
			 .pitch = 64 * 4,
			 .bpp = 12};
	KT_EXPECT_EQ(t, fb_validate(&fb), -EINVAL);
	fb.bpp = 32;
	KT_EXPECT_EQ(t, fb_validate(&fb), -EINVAL); /* no colour fields */
	fb.red_pos = 16, fb.red_size = 8, fb.green_pos = 8, fb.green_size = 8;
	fb.blue_size = 8;
	KT_EXPECT_EQ(t, fb_validate(&fb), 0);
	fb.pitch = 100;
	KT_EXPECT_EQ(t, fb_validate(&fb), -EINVAL);
	fb.pitch = 64 * 4;
	KT_EXPECT_EQ(t, fbcon_attach(&fb, 20),
		     -EINVAL); /* no room for a line */
}

KTEST(vesa, shell_command)
{
	char a0[] = "vbe", a1[] = "set", a2[] = "640x480x16", a3[] = "text",
	     m[] = "modes", bad[] = "bogus";
	char *set[] = {a0, a1, a2}, *text[] = {a0, a1, a3}, *modes[] = {a0, m},
	     *bare[] = {a0}, *wrong[] = {a0, bad};

	KT_EXPECT_EQ(t, vesa_shell_cmd(2, modes), 0);
	KT_EXPECT_EQ(t, vesa_shell_cmd(3, set), 0);
	KT_ASSERT(t, vesa_current() != NULL);
	KT_EXPECT_EQ(t, vesa_current()->bpp, 16);
	KT_EXPECT(t, fbcon_active());
	KT_EXPECT_EQ(t, vesa_shell_cmd(1, bare), 0);
	KT_EXPECT_EQ(t, vesa_shell_cmd(3, text), 0);
	KT_EXPECT(t, vesa_current() == NULL);
	KT_EXPECT(t, !fbcon_active());
	KT_EXPECT_EQ(t, vesa_shell_cmd(2, wrong), -EINVAL);
}

KTEST(vesa, back_in_text_mode)
{
	struct vm86_regs r = {.eax = 0x0f00};

	KT_ASSERT_EQ(t, vm86_int(0x10, &r), 0);
	KT_EXPECT_EQ(t, r.eax & 0x7f, 3);
	KT_EXPECT(t, vesa_current() == NULL);
}
