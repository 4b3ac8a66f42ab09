/*
 * Framebuffer console. A shadow grid of cells (character, colours) lets the
 * cursor be erased and the screen be redrawn after a mode change; drawing
 * goes straight to the framebuffer, and scrolling moves its pixel lines.
 */
#include <arch/irq.h>
#include <drivers/fbcon.h>
#include <drivers/font.h>
#include <kernel/console.h>
#include <lib/err.h>
#include <mm/kheap.h>
#include <string.h>

#define DEFAULT_FG 7
#define DEFAULT_BG 0
#define MAX_PARAMS 8

struct cell {
	uint8_t ch, fg, bg;
};

/* ANSI order: black red green yellow blue magenta cyan white, then bright. */
static const uint32_t palette[16] = {
	0x000000, 0xaa0000, 0x00aa00, 0xaa5500, 0x0000aa, 0xaa00aa,
	0x00aaaa, 0xaaaaaa, 0x555555, 0xff5555, 0x55ff55, 0xffff55,
	0x5555ff, 0xff55ff, 0x55ffff, 0xffffff,
};

static struct {
	struct fb fb;
	bool active, registered;
	unsigned top, cols, rows;
	unsigned col, row;
	uint8_t fg, bg;
	bool bright, reverse;
	uint32_t px[16];
	struct cell *cells;
	size_t ncells;
	/* escape parser */
	enum { S_TEXT, S_ESC, S_CSI } state;
	unsigned params[MAX_PARAMS], nparams;
} con;

static struct cell *cell_at(unsigned c, unsigned r)
{
	return &con.cells[(size_t)r * con.cols + c];
}

static void draw_cell(unsigned c, unsigned r)
{
	const struct cell *k = cell_at(c, r);
	fb_draw_char(&con.fb, c * FONT_WIDTH, con.top + r * FONT_HEIGHT, k->ch,
		     con.px[k->fg], con.px[k->bg]);
}

static void cursor_show(void)
{
	if (con.col >= con.cols)
		return;
	const struct cell *k = cell_at(con.col, con.row);
	fb_fill(&con.fb, con.col * FONT_WIDTH,
		con.top + con.row * FONT_HEIGHT + FONT_HEIGHT - 2, FONT_WIDTH,
		2, con.px[k->fg == k->bg ? 15 : k->fg]);
}

static void cursor_hide(void)
{
	if (con.col < con.cols)
		draw_cell(con.col, con.row);
}

static void clear_cells(unsigned from, unsigned to) /* [from, to) linear */
{
	for (unsigned i = from; i < to; i++)
		con.cells[i] = (struct cell){' ', con.fg, con.bg};
}

static void redraw_rows(unsigned r0, unsigned r1)
{
	for (unsigned r = r0; r < r1; r++)
		for (unsigned c = 0; c < con.cols; c++)
			draw_cell(c, r);
}

static bool same(const struct cell *a, const struct cell *b)
{
	return a->ch == b->ch && a->fg == b->fg && a->bg == b->bg;
}

/*
 * Scroll by one line without reading the framebuffer (reads from video
 * memory are slow, and it is mapped uncached): a cell is redrawn only where
 * the line below differs from it; console text is mostly blank, so most
 * cells stay as they are.
 */
static void scroll(void)
{
	struct cell blank = {' ', con.fg, con.bg};

	for (unsigned r = 0; r < con.rows; r++) {
		for (unsigned c = 0; c < con.cols; c++) {
			struct cell *k = cell_at(c, r);
			const struct cell *next =
				r + 1 < con.rows ? cell_at(c, r + 1) : &blank;
			if (!same(k, next)) {
				*k = *next;
				draw_cell(c, r);
			}
		}
	}
	con.row = con.rows - 1;
}
static void newline(void)
{
	con.col = 0;
	if (++con.row >= con.rows)
		scroll();
}

static void put(uint8_t ch)
{
	if (con.col >= con.cols)
		newline();
	uint8_t fg = con.fg, bg = con.bg;
	if (con.bright && fg < 8)
		fg += 8;
	if (con.reverse) {
		uint8_t t = fg;
		fg = bg;
		bg = t;
	}
	*cell_at(con.col, con.row) = (struct cell){ch, fg, bg};
	draw_cell(con.col, con.row);
	con.col++;
}

static void sgr(unsigned p)
{
	if (p == 0) {
		con.fg = DEFAULT_FG;
		con.bg = DEFAULT_BG;
		con.bright = con.reverse = false;
	} else if (p == 1) {
		con.bright = true;
	} else if (p == 22) {
		con.bright = false;
	} else if (p == 7) {
		con.reverse = true;
	} else if (p == 27) {
		con.reverse = false;
	} else if (p >= 30 && p <= 37) {
		con.fg = (uint8_t)(p - 30);
	} else if (p == 39) {
		con.fg = DEFAULT_FG;
	} else if (p >= 40 && p <= 47) {
		con.bg = (uint8_t)(p - 40);
	} else if (p == 49) {
		con.bg = DEFAULT_BG;
	} else if (p >= 90 && p <= 97) {
		con.fg = (uint8_t)(p - 90 + 8);
	} else if (p >= 100 && p <= 107) {
		con.bg = (uint8_t)(p - 100 + 8);
	}
}

static unsigned param(unsigned i, unsigned dflt)
{
	return i < con.nparams && con.params[i] ? con.params[i] : dflt;
}

static void csi(char final)
{
	unsigned n = param(0, 1);

	switch (final) {
	case 'm':
		if (!con.nparams)
			sgr(0);
		for (unsigned i = 0; i < con.nparams; i++)
			sgr(con.params[i]);
		break;
	case 'H':
	case 'f':
		con.row = param(0, 1) - 1;
		con.col = param(1, 1) - 1;
		if (con.row >= con.rows)
			con.row = con.rows - 1;
		if (con.col >= con.cols)
			con.col = con.cols - 1;
		break;
	case 'A': con.row = con.row > n ? con.row - n : 0; break;
	case 'B':
		con.row = con.row + n < con.rows ? con.row + n : con.rows - 1;
		break;
	case 'C':
		con.col = con.col + n < con.cols ? con.col + n : con.cols - 1;
		break;
	case 'D': con.col = con.col > n ? con.col - n : 0; break;
	case 'J': {
		unsigned here = con.row * con.cols +
				(con.col < con.cols ? con.col : con.cols);
		unsigned mode = con.nparams ? con.params[0] : 0;
		if (mode == 2 || mode == 3) {
			clear_cells(0, con.rows * con.cols);
			redraw_rows(0, con.rows);
		} else if (mode == 0) {
			clear_cells(here, con.rows * con.cols);
			redraw_rows(con.row, con.rows);
		}
		break;
	}
	case 'K': {
		unsigned c0 = con.col < con.cols ? con.col : con.cols;
		clear_cells(con.row * con.cols + c0, (con.row + 1) * con.cols);
		redraw_rows(con.row, con.row + 1);
		break;
	}
	default: break; /* unsupported: ignored */
	}
}

static void feed(uint8_t ch)
{
	switch (con.state) {
	case S_ESC:
		if (ch == '[') {
			con.state = S_CSI;
			con.nparams = 0;
			memset(con.params, 0, sizeof(con.params));
		} else {
			con.state = S_TEXT;
		}
		return;
	case S_CSI:
		if (ch >= '0' && ch <= '9') {
			if (!con.nparams)
				con.nparams = 1;
			unsigned *p = &con.params[con.nparams - 1];
			if (*p < 10000)
				*p = *p * 10 + (ch - '0');
		} else if (ch == ';') {
			if (!con.nparams)
				con.nparams = 1;
			if (con.nparams < MAX_PARAMS)
				con.nparams++;
		} else if (ch >= 0x40 && ch <= 0x7e) {
			csi((char)ch);
			con.state = S_TEXT;
		} else if (ch != '?') {
			con.state = S_TEXT; /* malformed: drop it */
		}
		return;
	case S_TEXT: break;
	}
	switch (ch) {
	case 0x1b: con.state = S_ESC; break;
	case '\n': newline(); break;
	case '\r': con.col = 0; break;
	case '\b':
		if (con.col)
			con.col--;
		break;
	case '\t':
		do
			put(' ');
		while (con.col % 8 && con.col < con.cols);
		break;
	default:
		if (ch >= 0x20)
			put(ch);
	}
}

void fbcon_write(const char *s, size_t n)
{
	irq_state_t st = console_lock_irqsave();

	if (con.active) {
		cursor_hide();
		for (size_t i = 0; i < n; i++)
			feed((uint8_t)s[i]);
		cursor_show();
	}
	console_unlock_irqrestore(st);
}

static void console_write_fb(struct console *c, const char *s, size_t n)
{
	fbcon_write(s, n);
}

static struct console fb_console = {.name = "fb", .write = console_write_fb};

int fbcon_attach(const struct fb *fb, unsigned top)
{
	if (!fb) {
		irq_state_t st = console_lock_irqsave();
		con.active = false;
		console_unlock_irqrestore(st);
		return 0;
	}
	if (fb_validate(fb) < 0 || top + FONT_HEIGHT > fb->height ||
	    fb->width < FONT_WIDTH)
		return -EINVAL;
	unsigned cols = fb->width / FONT_WIDTH;
	unsigned rows = (fb->height - top) / FONT_HEIGHT;
	size_t need = (size_t)cols * rows;
	struct cell *cells = con.cells;
	if (need > con.ncells) {
		cells = kmalloc(need * sizeof(*cells));
		if (!cells)
			return -ENOMEM;
	}

	struct cell *old_cells = NULL;
	irq_state_t st = console_lock_irqsave();
	if (cells != con.cells) {
		old_cells = con.cells;
		con.cells = cells;
		con.ncells = need;
	}
	con.fb = *fb;
	con.top = top;
	con.cols = cols;
	con.rows = rows;
	con.col = con.row = 0;
	con.fg = DEFAULT_FG;
	con.bg = DEFAULT_BG;
	con.bright = con.reverse = false;
	con.state = S_TEXT;
	for (unsigned i = 0; i < 16; i++)
		con.px[i] = fb_color(fb, palette[i]);
	clear_cells(0, cols * rows);
	fb_fill(fb, 0, top, fb->width, fb->height - top, con.px[DEFAULT_BG]);
	con.active = true;
	cursor_show();
	bool reg = !con.registered;
	con.registered = true;
	console_unlock_irqrestore(st);
	kfree(old_cells); /* outside: mm's lock ranks below the console's */
	if (reg)
		console_register(&fb_console);
	return 0;
}

bool fbcon_active(void)
{
	return con.active;
}

const struct fb *fbcon_fb(void)
{
	return con.active ? &con.fb : NULL;
}

void fbcon_geometry(unsigned *cols, unsigned *rows)
{
	*cols = con.active ? con.cols : 0;
	*rows = con.active ? con.rows : 0;
}

void fbcon_cursor(unsigned *col, unsigned *row)
{
	*col = con.col;
	*row = con.row;
}

int fbcon_cell(unsigned col, unsigned row, unsigned *fg, unsigned *bg)
{
	if (!con.active || col >= con.cols || row >= con.rows)
		return -1;
	const struct cell *k = cell_at(col, row);
	if (fg)
		*fg = k->fg;
	if (bg)
		*bg = k->bg;
	return k->ch;
}

uint32_t fbcon_palette(unsigned index)
{
	return palette[index & 15];
}

void fbcon_cell_origin(unsigned col, unsigned row, unsigned *x, unsigned *y)
{
	*x = col * FONT_WIDTH;
	*y = con.top + row * FONT_HEIGHT;
}
