/*
 * The fallback when VBE fails: the multiboot loader's framebuffer
 * (information flag 12) is parsed, and the console moves onto it. QEMU's
 * loaders give none, so the test builds the information itself, pointing
 * at the std VGA's VRAM, as GRUB would after setting a mode.
 */
#include <arch/vm86.h>
#include <drivers/fb.h>
#include <drivers/fbcon.h>
#include <ktest.h>
#include <lib/err.h>
#include <mm/dma.h>
#include <mm/layout.h>
#include <mm/mm.h>
#include <platform/vesa.h>
#include <platform/vga_text.h>
#include <string.h>

#include <arch/x86_platform.h>

/* Multiboot 1 information up to the framebuffer's colour fields. */
struct fake_mbi_fb {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
	uint32_t mods_count, mods_addr, syms[4], mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr, config_table, boot_loader_name;
	uint32_t apm_table, vbe_control_info, vbe_mode_info;
	uint16_t vbe_mode, vbe_seg, vbe_off, vbe_len;
	uint64_t fb_addr;
	uint32_t fb_pitch, fb_width, fb_height;
	uint8_t fb_bpp, fb_type;
	uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
} __attribute__((packed));

static struct fake_mbi_fb mbi;
static uint32_t mmap[6] = {20, 0, 0, 0x9fc00, 0, 1};
static struct boot_info bi;

static void fake_mbi(uint64_t addr, uint8_t type)
{
	memset(&mbi, 0, sizeof(mbi));
	mbi.flags = (1u << 6) | (1u << 12);
	mbi.mmap_addr = (uint32_t)(uintptr_t)mmap;
	mbi.mmap_length = sizeof(mmap);
	mbi.fb_addr = addr;
	mbi.fb_pitch = 640 * 4;
	mbi.fb_width = 640;
	mbi.fb_height = 480;
	mbi.fb_bpp = 32;
	mbi.fb_type = type;
	mbi.red_pos = 16, mbi.red_size = 8;
	mbi.green_pos = 8, mbi.green_size = 8;
	mbi.blue_pos = 0, mbi.blue_size = 8;
}

KTEST(multiboot, framebuffer_is_parsed)
{
	const char *why = NULL;
	struct fb saved = x86_multiboot_fb;

	fake_mbi(0xfd000000u, 1);
	KT_ASSERT_EQ(t,
		     multiboot_parse(MULTIBOOT_BOOTLOADER_MAGIC,
				     (uintptr_t)&mbi, &bi, &why),
		     0);
	KT_EXPECT_EQ(t, x86_multiboot_fb.phys, 0xfd000000u);
	KT_EXPECT_EQ(t, x86_multiboot_fb.width, 640);
	KT_EXPECT_EQ(t, x86_multiboot_fb.height, 480);
	KT_EXPECT_EQ(t, x86_multiboot_fb.pitch, 2560);
	KT_EXPECT_EQ(t, x86_multiboot_fb.bpp, 32);
	KT_EXPECT_EQ(t, x86_multiboot_fb.red_pos, 16);
	KT_EXPECT(t, bi.bootdata_end >= (uintptr_t)&mbi + sizeof(mbi));

	/* Indexed (0) and EGA text (2) framebuffers, or one above 4 GiB, are
	 * not used. */
	fake_mbi(0xfd000000u, 2);
	KT_ASSERT_EQ(t,
		     multiboot_parse(MULTIBOOT_BOOTLOADER_MAGIC,
				     (uintptr_t)&mbi, &bi, &why),
		     0);
	KT_EXPECT_EQ(t, x86_multiboot_fb.width, 0);
	fake_mbi(0x100000000ull, 1);
	KT_ASSERT_EQ(t,
		     multiboot_parse(MULTIBOOT_BOOTLOADER_MAGIC,
				     (uintptr_t)&mbi, &bi, &why),
		     0);
	KT_EXPECT_EQ(t, x86_multiboot_fb.width, 0);
	x86_multiboot_fb = saved;
}

KTEST(vesa, console_falls_back_to_the_loader_framebuffer)
{
	struct fb saved = x86_multiboot_fb;
	volatile void *text = vga_text_buffer();
	struct vesa_mode m;

	/* What GRUB would leave behind: a 640x480x32 mode and its address. */
	KT_ASSERT_EQ(t, vesa_find_mode(640, 480, 32, &m), 0);
	memset(&x86_multiboot_fb, 0, sizeof(x86_multiboot_fb));
	KT_EXPECT(t, !x86_video_use_multiboot_fb()); /* none given */
	x86_multiboot_fb = (struct fb){
		.phys = m.phys,
		.width = m.width,
		.height = m.height,
		.pitch = m.pitch,
		.bpp = 32,
		.red_pos = 16,
		.red_size = 8,
		.green_pos = 8,
		.green_size = 8,
		.blue_size = 8,
		.source = "multiboot",
	};
	KT_ASSERT(t, x86_video_use_multiboot_fb());
	const struct fb *fb = fbcon_fb();
	KT_ASSERT(t, fb != NULL);
	KT_EXPECT(t, (uintptr_t)fb->base >= mm_dma_floor());
	KT_EXPECT(t, (uintptr_t)fb->base < mm_layout.dma_top);
	KT_EXPECT_EQ(t, fb->width, 640);
	KT_EXPECT(t, vga_text_buffer() == NULL);
	fbcon_write("on the loader's framebuffer\n", 28);
	KT_EXPECT_EQ(t, fbcon_cell(0, 0, NULL, NULL), 'o');

	/* Back to the VGA text screen. */
	void *window = (void *)fb->base;
	fbcon_attach(NULL, 0);
	KT_EXPECT_EQ(t, dma_unmap(window), 0);
	vga_text_set_buffer((void *)text);
	x86_multiboot_fb = saved;
	KT_EXPECT_EQ(t, vesa_set_text_mode(), 0); /* reloads the text font */
}
