/*
 * VESA BIOS Extensions (VBE 2.0+) through the VM86 monitor: controller
 * information, the mode list with each mode's information, setting a mode
 * with its linear framebuffer, and going back to VGA text mode.
 *
 * The linear framebuffer is reached through a DMA window
 * (dma_map(PhysBasePtr, pitch * height, DMA_WRITECOMBINE)); the window is
 * unmapped whenever the mode changes. Process context (BIOS calls).
 */
#ifndef DRIVERS_VESA_H
#define DRIVERS_VESA_H

#include <drivers/fb.h>
#include <stdbool.h>
#include <stdint.h>

#define VESA_MAX_MODES 128

struct vesa_info {
	uint16_t version;    /* BCD: 0x0300 for VBE 3.0 */
	uint32_t memory_kib; /* video memory */
	char oem[48];
	unsigned mode_count;
	uint16_t modes[VESA_MAX_MODES];
};

struct vesa_mode {
	uint16_t number;
	uint16_t attributes;
	unsigned width, height, bpp, pitch;
	uint8_t memory_model; /* 4 packed pixel, 6 direct colour */
	uint32_t phys;	      /* linear framebuffer, 0 if none */
	uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
};

/* INT 10h AX=4F00. 0, -ENODEV (no VBE, or older than 2.0), or the monitor's
 * error. */
int vesa_probe(struct vesa_info *info);

/* INT 10h AX=4F01 for mode `number`. 0, -ENODEV, or the monitor's error. */
int vesa_mode_info(uint16_t number, struct vesa_mode *m);

/* True when the mode can be used: supported, graphics, linear framebuffer,
 * a pixel format fb.c draws. */
bool vesa_mode_usable(const struct vesa_mode *m);

/* The usable mode closest to w x h x bpp: exact if there is one, else the
 * largest not above w x h, preferring the requested depth. -ENOENT if no
 * mode is usable. */
int vesa_find_mode(unsigned w, unsigned h, unsigned bpp, struct vesa_mode *m);

/* Set `m` with its linear framebuffer (AX=4F02, BX = mode | 0x4000), map
 * the framebuffer and fill *fb. The previous window is unmapped first. */
int vesa_set_mode(const struct vesa_mode *m, struct fb *fb);

/* Back to VGA text mode 3 (80x25); unmaps the framebuffer window. */
int vesa_set_text_mode(void);

/* The framebuffer of the current VESA mode, NULL in text mode. */
const struct fb *vesa_current(void);

/* Parse "WIDTHxHEIGHTxBPP" (bpp optional: 32) or "text" (all 0).
 * 0 or -EINVAL. */
int vesa_parse_mode(const char *s, unsigned *w, unsigned *h, unsigned *bpp);

/* For the shell: print the mode list (`vbe modes`), and set a mode from a
 * string (`vbe set WxHxBPP` or `vbe set text`), moving the console. */
int vesa_print_modes(void);
int vesa_set_mode_string(const char *s);

/* The shell's `vbe` command (vesa.c registers it): 0, or a negative error
 * after printing what went wrong. */
int vesa_shell_cmd(int argc, char **argv);

#endif
