/*
 * Multiboot 1 information -> struct boot_info.
 *
 * The loader's data is trusted only as far as it must be: counts and lengths
 * are bounded, strings are copied with a limit, and every problem is either
 * reported through `why` (fatal: bad magic, no memory map) or recorded in the
 * boot_info counters (too many entries, truncated command line).
 */
#include <drivers/fb.h>
#include <kernel/cmdline.h>
#include <lib/compiler.h>
#include <lib/err.h>
#include <string.h>

#include <arch/x86_platform.h>

#define MBI_MEMORY	(1u << 0)
#define MBI_CMDLINE	(1u << 2)
#define MBI_MODS	(1u << 3)
#define MBI_MMAP	(1u << 6)
#define MBI_LOADER_NAME (1u << 9)
#define MBI_FRAMEBUFFER (1u << 12)

struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;
	/* APM, VBE and framebuffer fields follow; not used yet. */
} __attribute__((packed));

/* The fields after boot_loader_name, up to the framebuffer's colour info. */
struct multiboot_fb_fields {
	uint32_t apm_table;
	uint32_t vbe_control_info, vbe_mode_info;
	uint16_t vbe_mode, vbe_interface_seg, vbe_interface_off,
		vbe_interface_len;
	uint64_t addr;
	uint32_t pitch, width, height;
	uint8_t bpp, type;
	uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
} __attribute__((packed));

struct fb x86_multiboot_fb;

struct multiboot_mod {
	uint32_t start, end, string, reserved;
} __attribute__((packed));

/* `size` does not count itself: the next entry is at entry + size + 4. */
struct multiboot_mmap_entry {
	uint32_t size;
	uint64_t base;
	uint64_t length;
	uint32_t type;
} __attribute__((packed));

/* Cap on how much of a module or loader string we will scan. */
#define MB_STRING_MAX 256

static enum boot_mem_type mem_type(uint32_t t)
{
	switch (t) {
	case 1: return BOOT_MEM_USABLE;
	case 3: return BOOT_MEM_ACPI_RECLAIM;
	case 4: return BOOT_MEM_ACPI_NVS;
	case 5: return BOOT_MEM_BAD;
	default: return BOOT_MEM_RESERVED;
	}
}

static void extend_bootdata(struct boot_info *bi, uintptr_t start, size_t len)
{
	if (!len)
		return;
	if (!bi->bootdata_end || start < bi->bootdata_start)
		bi->bootdata_start = start;
	if (start + len > bi->bootdata_end)
		bi->bootdata_end = start + len;
}

static void parse_mmap(const struct multiboot_info *mbi, struct boot_info *bi)
{
	uintptr_t p = mbi->mmap_addr;
	uintptr_t end = p + mbi->mmap_length;

	extend_bootdata(bi, p, mbi->mmap_length);
	/* An entry's size field may exceed the struct (future fields) but must
	 * cover at least base, length and type. */
	while (p + sizeof(uint32_t) <= end) {
		const struct multiboot_mmap_entry *e = (const void *)p;
		if (e->size < 20 || p + 4 + e->size > end)
			break;
		if (bi->mem_count < BOOT_MAX_MEM_REGIONS) {
			bi->mem[bi->mem_count++] = (struct boot_mem_region){
				.base = e->base,
				.size = e->length,
				.type = mem_type(e->type),
			};
		} else {
			bi->mem_dropped++;
		}
		p += 4 + e->size;
	}
}

static void parse_modules(const struct multiboot_info *mbi,
			  struct boot_info *bi)
{
	const struct multiboot_mod *mods =
		(const void *)(uintptr_t)mbi->mods_addr;
	uint32_t count = mbi->mods_count;

	extend_bootdata(bi, mbi->mods_addr, count * sizeof(*mods));
	for (uint32_t i = 0; i < count; i++) {
		if (bi->module_count == BOOT_MAX_MODULES) {
			bi->modules_dropped = count - i;
			break;
		}
		const struct multiboot_mod *m = &mods[i];
		if (m->end < m->start) /* reported as an empty module */
			continue;
		bi->modules[bi->module_count++] = (struct boot_module){
			.start = m->start,
			.end = m->end,
			.cmdline = m->string
					   ? (const char *)(uintptr_t)m->string
					   : "",
		};
		if (m->string)
			extend_bootdata(
				bi, m->string,
				strnlen((const char *)(uintptr_t)m->string,
					MB_STRING_MAX) +
					1);
	}
}

/* Type 1 (direct RGB) only; indexed and EGA text framebuffers are not
 * used. The video code falls back to it when VBE fails. */
static void parse_framebuffer(uintptr_t at, struct boot_info *bi)
{
	const struct multiboot_fb_fields *f = (const void *)at;

	memset(&x86_multiboot_fb, 0, sizeof(x86_multiboot_fb));
	extend_bootdata(bi, at, sizeof(*f));
	if (f->type != 1 || f->addr >> 32 || !f->width || !f->height)
		return;
	x86_multiboot_fb = (struct fb){
		.phys = f->addr,
		.width = f->width,
		.height = f->height,
		.pitch = f->pitch,
		.bpp = f->bpp,
		.red_pos = f->red_pos,
		.red_size = f->red_size,
		.green_pos = f->green_pos,
		.green_size = f->green_size,
		.blue_pos = f->blue_pos,
		.blue_size = f->blue_size,
		.source = "multiboot",
	};
}

int multiboot_parse(uint32_t magic, uintptr_t mbi_addr, struct boot_info *bi,
		    const char **why)
{
	memset(bi, 0, sizeof(*bi));
	bi->loader = "unknown multiboot loader";
	bi->cmdline_has_image_path = true;
	bi->kernel_start = (uintptr_t)__kernel_start;
	bi->kernel_end = (uintptr_t)__kernel_end;

	if (magic != MULTIBOOT_BOOTLOADER_MAGIC) {
		*why = "bad multiboot magic: not started by a multiboot loader";
		return -EINVAL;
	}
	if (!mbi_addr) {
		*why = "no multiboot information structure";
		return -EINVAL;
	}
	const struct multiboot_info *mbi = (const void *)mbi_addr;
	extend_bootdata(bi, mbi_addr, sizeof(*mbi));

	if (mbi->flags & MBI_LOADER_NAME && mbi->boot_loader_name) {
		bi->loader = (const char *)(uintptr_t)mbi->boot_loader_name;
		extend_bootdata(bi, mbi->boot_loader_name,
				strnlen(bi->loader, MB_STRING_MAX) + 1);
	}
	if (mbi->flags & MBI_CMDLINE && mbi->cmdline) {
		cmdline_copy(bi, (const char *)(uintptr_t)mbi->cmdline);
		extend_bootdata(bi, mbi->cmdline, bi->cmdline_len + 1);
	}
	if (mbi->flags & MBI_MODS)
		parse_modules(mbi, bi);
	if (mbi->flags & MBI_FRAMEBUFFER)
		parse_framebuffer(mbi_addr + sizeof(*mbi), bi);
	if (!(mbi->flags & MBI_MMAP) || mbi->mmap_length == 0) {
		*why = "the loader gave no memory map (multiboot flag 6)";
		return -ENOENT;
	}
	parse_mmap(mbi, bi);
	if (bi->mem_count == 0) {
		*why = "the loader's memory map has no valid entry";
		return -ENOENT;
	}
	return 0;
}
