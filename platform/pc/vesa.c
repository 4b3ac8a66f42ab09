/*
 * VESA VBE 2.0+ through the VM86 monitor. Every call takes one low-memory
 * page for the BIOS's buffer (ES:DI), so the pointer is also the real-mode
 * address; far pointers the BIOS returns (OEM string, mode list) are
 * followed only inside low memory, never into page 0.
 */
#include <arch/irq.h>
#include <arch/mmu.h>
#include <arch/vm86.h>
#include <drivers/fb_layout.h>
#include <drivers/fbcon.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/shell.h>
#include <kernel/sync.h>
#include <lib/err.h>
#include <mm/dma.h>
#include <mm/lowmem.h>
#include <platform/vesa.h>
#include <platform/vga_text.h>
#include <string.h>

#define VBE_OK	0x004f
#define VBE_LFB 0x4000u
/* Mode attributes: supported, colour, graphics, linear framebuffer. */
#define ATTR_SUPPORTED 0x01u
#define ATTR_GRAPHICS  0x10u
#define ATTR_LFB       0x80u

static struct {
	struct fb fb; /* the current mode's framebuffer */
	bool graphics;
	void *window;		 /* DMA window of the framebuffer */
	volatile void *vga_text; /* the text console's buffer while hidden */
} cur;

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const uint8_t *p)
{
	return rd16(p) | (uint32_t)rd16(p + 2) << 16;
}

/* A far pointer from the BIOS as a kernel pointer to `n` readable bytes, or
 * NULL when it leaves low memory or points into page 0. */
static const uint8_t *far_ptr(uint32_t fp, size_t n)
{
	uint32_t lin = ((fp >> 16) << 4) + (fp & 0xffff);

	if (lin < PAGE_SIZE || lin + n > 0x100000u)
		return NULL;
	return (const uint8_t *)(uintptr_t)lin;
}

/* INT 10h with a one-page buffer at ES:DI. */
static int vbe_call(uint16_t ax, uint16_t cx, uint16_t bx, uint8_t **buf,
		    uintptr_t *phys, struct vm86_regs *r)
{
	*buf = vm86_alloc(PAGE_SIZE, phys);
	if (!*buf) {
		printk("vesa: no low memory for a VBE buffer (%s)\n",
		       lowmem_last_error(&kernel_lowmem));
		return -ENOMEM;
	}
	memset(*buf, 0, PAGE_SIZE);
	*r = (struct vm86_regs){.eax = ax,
				.ebx = bx,
				.ecx = cx,
				.es = (uint16_t)(*phys >> 4),
				.edi = 0};
	return 0;
}

int vesa_probe(struct vesa_info *info)
{
	struct vm86_regs r;
	uint8_t *buf;
	uintptr_t phys;
	int rc = vbe_call(0x4f00, 0, 0, &buf, &phys, &r);

	if (rc < 0)
		return rc;
	memcpy(buf, "VBE2", 4); /* ask for the VBE 2.0 fields */
	rc = vm86_int(0x10, &r);
	if (rc < 0)
		goto out;
	if ((r.eax & 0xffff) != VBE_OK || memcmp(buf, "VESA", 4) != 0) {
		rc = -ENODEV;
		goto out;
	}
	memset(info, 0, sizeof(*info));
	info->version = rd16(buf + 4);
	info->memory_kib = rd16(buf + 18) * 64u;
	if (info->version < 0x0200) {
		rc = -ENODEV;
		goto out;
	}
	const uint8_t *oem = far_ptr(rd32(buf + 6), 1);
	for (unsigned i = 0; oem && i < sizeof(info->oem) - 1 &&
			     far_ptr(rd32(buf + 6) + i, 1) && oem[i];
	     i++)
		info->oem[i] =
			oem[i] >= 0x20 && oem[i] < 0x7f ? (char)oem[i] : '?';
	/* The list may live inside our buffer: read it before freeing. */
	uint32_t lp = rd32(buf + 14);
	for (unsigned i = 0; i < VESA_MAX_MODES; i++) {
		const uint8_t *p = far_ptr(lp + 2 * i, 2);
		if (!p || rd16(p) == 0xffff)
			break;
		info->modes[info->mode_count++] = rd16(p);
	}
out:
	vm86_free(buf);
	return rc;
}

int vesa_mode_info(uint16_t number, struct vesa_mode *m)
{
	struct vm86_regs r;
	uint8_t *b;
	uintptr_t phys;
	int rc = vbe_call(0x4f01, number, 0, &b, &phys, &r);

	if (rc < 0)
		return rc;
	rc = vm86_int(0x10, &r);
	if (rc < 0)
		goto out;
	if ((r.eax & 0xffff) != VBE_OK) {
		rc = -ENODEV;
		goto out;
	}
	*m = (struct vesa_mode){
		.number = number,
		.attributes = rd16(b + 0),
		.pitch = rd16(b + 16),
		.width = rd16(b + 18),
		.height = rd16(b + 20),
		.bpp = b[25],
		.memory_model = b[27],
		.red_size = b[31],
		.red_pos = b[32],
		.green_size = b[33],
		.green_pos = b[34],
		.blue_size = b[35],
		.blue_pos = b[36],
		.phys = rd32(b + 40),
	};
	/* VBE 3.0 has a separate pitch for the linear framebuffer. */
	if (rd16(b + 50) && rd16(b + 50) >= m->width * ((m->bpp + 7) / 8))
		m->pitch = rd16(b + 50);
out:
	vm86_free(b);
	return rc;
}

bool vesa_mode_usable(const struct vesa_mode *m)
{
	unsigned need = ATTR_SUPPORTED | ATTR_GRAPHICS | ATTR_LFB;

	if ((m->attributes & need) != need || !m->phys)
		return false;
	if (m->bpp == 8)
		return m->memory_model == 4;
	if (m->bpp != 15 && m->bpp != 16 && m->bpp != 24 && m->bpp != 32)
		return false;
	return m->memory_model == 6 && m->red_size && m->green_size &&
	       m->blue_size;
}

int vesa_find_mode(unsigned w, unsigned h, unsigned bpp, struct vesa_mode *out)
{
	static struct vesa_info info;
	struct vesa_mode m;
	long best_score = -1;
	int rc = vesa_probe(&info);

	if (rc < 0)
		return rc;
	for (unsigned i = 0; i < info.mode_count; i++) {
		if (vesa_mode_info(info.modes[i], &m) < 0 ||
		    !vesa_mode_usable(&m))
			continue;
		/* Exact beats everything; then area not above the request,
		 * then the requested depth, then the deepest. */
		long score;
		if (m.width == w && m.height == h && m.bpp == bpp)
			score = 1L << 30;
		else if (m.width <= w && m.height <= h)
			score = (long)(m.width * m.height / 64) * 4 +
				(m.bpp == bpp ? 2 : 0) + (m.bpp >= 24 ? 1 : 0);
		else
			continue;
		if (score > best_score) {
			best_score = score;
			*out = m;
		}
	}
	return best_score < 0 ? -ENOENT : 0;
}

/* Mode changes are serialised (the window and the console move together);
 * before the scheduler runs there is one thread of control. */
static struct mutex vesa_mutex;
static bool vesa_mutex_ready;

static void vesa_lock(void)
{
	if (!sched_running())
		return;
	irq_state_t st = arch_irq_save();
	if (!vesa_mutex_ready) {
		mutex_init(&vesa_mutex, "vesa");
		vesa_mutex_ready = true;
	}
	arch_irq_restore(st);
	mutex_lock(&vesa_mutex);
}

static void vesa_unlock(void)
{
	if (vesa_mutex_ready && mutex_held_by_me(&vesa_mutex))
		mutex_unlock(&vesa_mutex);
}

static void unmap_window(void)
{
	if (cur.window) {
		dma_unmap(cur.window);
		cur.window = NULL;
	}
	cur.graphics = false;
}

static int set_text_mode(void);

static int set_mode(const struct vesa_mode *m, struct fb *fb)
{
	struct vm86_regs r = {.eax = 0x4f02, .ebx = m->number | VBE_LFB};

	if (!vesa_mode_usable(m))
		return -EINVAL;
	unmap_window();
	int rc = vm86_int(0x10, &r);
	if (rc < 0)
		return rc;
	if ((r.eax & 0xffff) != VBE_OK) {
		printk("vesa: mode %#x (%ux%ux%u) refused, AX=%04x\n",
		       m->number, m->width, m->height, m->bpp, r.eax & 0xffff);
		return -EIO;
	}
	size_t size = (size_t)m->pitch * m->height;
	void *w = dma_map(m->phys, size, DMA_WRITECOMBINE);
	if (!w) {
		printk("vesa: no DMA window for the framebuffer at %#x (%zu "
		       "bytes): %s\n",
		       m->phys, size,
		       kernel_dma.last_error ? kernel_dma.last_error : "?");
		set_text_mode();
		return -ENOMEM;
	}
	cur.window = w;
	cur.graphics = true;
	cur.fb = (struct fb){
		.base = w,
		.phys = m->phys,
		.width = m->width,
		.height = m->height,
		.pitch = m->pitch,
		.bpp = m->bpp,
		.red_pos = m->red_pos,
		.red_size = m->red_size,
		.green_pos = m->green_pos,
		.green_size = m->green_size,
		.blue_pos = m->blue_pos,
		.blue_size = m->blue_size,
		.source = "VESA",
	};
	if (m->bpp == 15 || m->bpp == 16 || m->bpp == 24 || m->bpp == 32) {
		/* some BIOSes report 15 bpp modes as 16 */
		if (m->bpp == 16 && m->green_size == 5)
			cur.fb.bpp = 15;
	}
	if (fb)
		*fb = cur.fb;
	return 0;
}

static int set_text_mode(void)
{
	struct vm86_regs r = {.eax = 0x0003};

	unmap_window();
	return vm86_int(0x10, &r);
}

const struct fb *vesa_current(void)
{
	return cur.graphics ? &cur.fb : NULL;
}

static int number(const char **s, unsigned *out)
{
	unsigned v = 0, digits = 0;

	while (**s >= '0' && **s <= '9' && digits < 6) {
		v = v * 10 + (unsigned)(**s - '0');
		(*s)++;
		digits++;
	}
	*out = v;
	return digits && !(**s >= '0' && **s <= '9') ? 0 : -EINVAL;
}

int vesa_parse_mode(const char *s, unsigned *w, unsigned *h, unsigned *bpp)
{
	if (strcmp(s, "text") == 0) {
		*w = *h = *bpp = 0;
		return 0;
	}
	if (number(&s, w) < 0 || *s++ != 'x' || number(&s, h) < 0)
		return -EINVAL;
	*bpp = 32;
	if (*s == 'x') {
		s++;
		if (number(&s, bpp) < 0)
			return -EINVAL;
	}
	if (*s || *w < 320 || *h < 200 || *w > 8192 || *h > 8192 ||
	    (*bpp != 8 && *bpp != 15 && *bpp != 16 && *bpp != 24 && *bpp != 32))
		return -EINVAL;
	return 0;
}

int vesa_print_modes(void)
{
	static struct vesa_info info;
	struct vesa_mode m;
	int rc = vesa_probe(&info);

	if (rc < 0) {
		printk("vbe: no VESA BIOS (%s)\n", err_name(rc));
		return rc;
	}
	printk("VBE %x.%x, %u KiB, \"%s\", %u modes:\n", info.version >> 8,
	       info.version & 0xff, info.memory_kib, info.oem, info.mode_count);
	for (unsigned i = 0; i < info.mode_count; i++) {
		if (vesa_mode_info(info.modes[i], &m) < 0)
			continue;
		printk("  0x%04x %4ux%-4u %2u bpp%s\n", m.number, m.width,
		       m.height, m.bpp,
		       vesa_mode_usable(&m) ? "" : "  (unusable)");
	}
	return 0;
}

/* Move the console: onto the new framebuffer (with the layout picture), or
 * back to the VGA text screen. */
static void console_to_graphics(const struct fb *fb)
{
	if (vga_text_buffer()) {
		cur.vga_text = vga_text_buffer();
		vga_text_set_buffer(NULL);
	}
	unsigned top = fb_layout_draw(fb);
	if (fbcon_attach(fb, top) < 0)
		printk("vesa: the framebuffer console cannot use %ux%ux%u\n",
		       fb->width, fb->height, fb->bpp);
}

static void console_to_text(void)
{
	fbcon_attach(NULL, 0);
	if (cur.vga_text) {
		vga_text_set_buffer((void *)cur.vga_text);
		cur.vga_text = NULL;
	}
}

static int set_mode_string(const char *s)
{
	unsigned w, h, bpp;
	struct vesa_mode m;
	struct fb fb;
	int rc = vesa_parse_mode(s, &w, &h, &bpp);

	if (rc < 0) {
		printk("vbe: '%s' is not WIDTHxHEIGHTxBPP or text\n", s);
		return rc;
	}
	if (!w) {
		rc = set_text_mode();
		console_to_text();
		return rc;
	}
	rc = vesa_find_mode(w, h, bpp, &m);
	if (rc < 0) {
		printk("vbe: no usable mode for %s (%s)\n", s, err_name(rc));
		return rc;
	}
	rc = set_mode(&m, &fb);
	if (rc < 0) {
		console_to_text();
		return rc;
	}
	console_to_graphics(&fb);
	if (m.width != w || m.height != h || m.bpp != bpp)
		printk("vbe: %s not available; using %ux%ux%u (mode %#x)\n", s,
		       m.width, m.height, m.bpp, m.number);
	return 0;
}

int vesa_shell_cmd(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "modes") == 0)
		return vesa_print_modes();
	if (argc == 3 && strcmp(argv[1], "set") == 0)
		return vesa_set_mode_string(argv[2]);
	if (argc == 1 || (argc == 2 && strcmp(argv[1], "info") == 0)) {
		const struct fb *fb = vesa_current();
		if (fb)
			printk("vbe: %ux%ux%u, pitch %u, framebuffer %#llx "
			       "mapped at %p\n",
			       fb->width, fb->height, fb->bpp, fb->pitch,
			       (unsigned long long)fb->phys, (void *)fb->base);
		else
			printk("vbe: VGA text mode\n");
		return 0;
	}
	printk("usage: vbe [info] | vbe modes | vbe set WIDTHxHEIGHTxBPP | "
	       "vbe set text\n");
	return -EINVAL;
}
SHELL_COMMAND(vbe, vesa_shell_cmd,
	      "vbe [info] | modes | set WxHxBPP | set text", "VESA modes");

int vesa_set_mode(const struct vesa_mode *m, struct fb *fb)
{
	vesa_lock();
	int rc = set_mode(m, fb);
	vesa_unlock();
	return rc;
}

int vesa_set_text_mode(void)
{
	vesa_lock();
	int rc = set_text_mode();
	vesa_unlock();
	return rc;
}

int vesa_set_mode_string(const char *s)
{
	vesa_lock();
	int rc = set_mode_string(s);
	vesa_unlock();
	return rc;
}
