/*
 * multiboot_parse() against well-formed and malformed loader information,
 * built in memory here: bad magic, no memory map, broken entries, too many
 * modules, an over-long command line.
 */
#include <ktest.h>
#include <lib/err.h>
#include <string.h>

#include <arch/x86_platform.h>

struct fake_mbi {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
	uint32_t mods_count, mods_addr, syms[4], mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr, config_table, boot_loader_name;
} __attribute__((packed));

struct fake_mmap {
	uint32_t size;
	uint64_t base, length;
	uint32_t type;
} __attribute__((packed));

static struct fake_mbi mbi;
static struct fake_mmap mmap[4];
static struct boot_info bi;
static const char *why;

static void setup_valid(void)
{
	memset(&mbi, 0, sizeof(mbi));
	mmap[0] = (struct fake_mmap){20, 0, 0x9fc00, 1};
	mmap[1] = (struct fake_mmap){20, 0x100000, 0x7f00000, 1};
	mmap[2] = (struct fake_mmap){20, 0x100000000ull, 0x40000000, 1};
	mmap[3] = (struct fake_mmap){20, 0xfffc0000, 0x40000, 2};
	mbi.flags = (1u << 6) | (1u << 2) | (1u << 9);
	mbi.mmap_addr = (uint32_t)(uintptr_t)mmap;
	mbi.mmap_length = sizeof(mmap);
	mbi.cmdline = (uint32_t)(uintptr_t) "/boot/kernel.elf test";
	mbi.boot_loader_name = (uint32_t)(uintptr_t) "GRUB 2.06";
	why = NULL;
}

KTEST(multiboot, valid_information)
{
	setup_valid();
	KT_ASSERT_EQ(t,
		     multiboot_parse(MULTIBOOT_BOOTLOADER_MAGIC,
				     (uintptr_t)&mbi, &bi, &why),
		     0);
	KT_EXPECT_EQ(t, bi.mem_count, 4);
	KT_EXPECT_EQ(t, bi.mem[2].base, 0x100000000ull); /* kept, above 4 GiB */
	KT_EXPECT_EQ(t, bi.mem[3].type, BOOT_MEM_RESERVED);
	KT_EXPECT_STREQ(t, bi.cmdline, "/boot/kernel.elf test");
	KT_EXPECT_STREQ(t, bi.loader, "GRUB 2.06");
	KT_EXPECT(t, bi.cmdline_has_image_path);
	KT_EXPECT(t, bi.bootdata_start <= (uintptr_t)&mbi);
	KT_EXPECT(t, bi.bootdata_end >= (uintptr_t)&mbi + sizeof(mbi));
}

KTEST(multiboot, bad_magic_is_rejected)
{
	setup_valid();
	KT_EXPECT_EQ(t, multiboot_parse(0x12345678, (uintptr_t)&mbi, &bi, &why),
		     -EINVAL);
	KT_EXPECT(t,
		  why != NULL && memcmp(why, "bad multiboot magic", 19) == 0);
}

KTEST(multiboot, missing_memory_map_is_rejected)
{
	setup_valid();
	mbi.flags &= ~(1u << 6);
	KT_EXPECT_EQ(t,
		     multiboot_parse(MULTIBOOT_BOOTLOADER_MAGIC,
				     (uintptr_t)&mbi, &bi, &why),
		     -ENOENT);
	KT_EXPECT(t, why != NULL);
	setup_valid();
	mbi.mmap_length = 0;
	KT_EXPECT_EQ(t,
		     multiboot_parse(MULTIBOOT_BOOTLOADER_MAGIC,
				     (uintptr_t)&mbi, &bi, &why),
		     -ENOENT);
}

KTEST(multiboot, null_information_is_rejected)
{
	KT_EXPECT_EQ(t,
		     multiboot_parse(MULTIBOOT_BOOTLOADER_MAGIC, 0, &bi, &why),
		     -EINVAL);
}

KTEST(multiboot, broken_entries_stop_the_walk)
{
	setup_valid();
	mmap[1].size = 8; /* too small to hold base/length/type */
	KT_EXPECT_EQ(t,
		     multiboot_parse(MULTIBOOT_BOOTLOADER_MAGIC,
				     (uintptr_t)&mbi, &bi, &why),
		     0);
	KT_EXPECT_EQ(t, bi.mem_count, 1);

	setup_valid();
	mmap[0].size = 0x10000; /* runs past mmap_length */
	KT_EXPECT_EQ(t,
		     multiboot_parse(MULTIBOOT_BOOTLOADER_MAGIC,
				     (uintptr_t)&mbi, &bi, &why),
		     -ENOENT);

	setup_valid();
	mbi.mmap_length = sizeof(mmap) - 3; /* last entry truncated */
	KT_EXPECT_EQ(t,
		     multiboot_parse(MULTIBOOT_BOOTLOADER_MAGIC,
				     (uintptr_t)&mbi, &bi, &why),
		     0);
	KT_EXPECT_EQ(t, bi.mem_count, 3);
}

KTEST(multiboot, too_many_modules_are_counted)
{
	static uint32_t mods[(BOOT_MAX_MODULES + 3) * 4];

	setup_valid();
	for (unsigned i = 0; i < BOOT_MAX_MODULES + 3; i++) {
		mods[i * 4] = 0x200000 + i * 0x1000;
		mods[i * 4 + 1] = 0x200000 + i * 0x1000 + 10;
		mods[i * 4 + 2] = (uint32_t)(uintptr_t) "mod";
		mods[i * 4 + 3] = 0;
	}
	mods[4 + 1] = 0; /* module 1: end before start, skipped */
	mbi.flags |= 1u << 3;
	mbi.mods_count = BOOT_MAX_MODULES + 3;
	mbi.mods_addr = (uint32_t)(uintptr_t)mods;
	KT_ASSERT_EQ(t,
		     multiboot_parse(MULTIBOOT_BOOTLOADER_MAGIC,
				     (uintptr_t)&mbi, &bi, &why),
		     0);
	KT_EXPECT_EQ(t, bi.module_count, BOOT_MAX_MODULES);
	KT_EXPECT_EQ(t, bi.modules_dropped, 2);
	KT_EXPECT_STREQ(t, bi.modules[0].cmdline, "mod");
}

/* A line past BOOT_CMDLINE_MAX keeps its whole words; the rest is named
 * (tests/cmdline has the cases; this is the multiboot path to them). */
KTEST(multiboot, long_cmdline_drops_whole_words)
{
	static char longline[BOOT_CMDLINE_MAX + 100];

	setup_valid();
	memset(longline, 'a', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = '\0';
	memcpy(longline + 1000, " test run=hello", 15);
	mbi.cmdline = (uint32_t)(uintptr_t)longline;
	KT_ASSERT_EQ(t,
		     multiboot_parse(MULTIBOOT_BOOTLOADER_MAGIC,
				     (uintptr_t)&mbi, &bi, &why),
		     0);
	KT_EXPECT_EQ(t, bi.cmdline_len, sizeof(longline) - 1);
	KT_EXPECT_EQ(t, strlen(bi.cmdline), 1005); /* ... " test" */
	KT_EXPECT_EQ(t, bi.cmdline_dropped, 1);
	KT_EXPECT_EQ(t, strncmp(bi.cmdline_dropped_words, "run=helloaaa", 12),
		     0);
	/* the loader's whole line stays reserved, not just what was kept */
	KT_EXPECT(t, bi.bootdata_end >= (uintptr_t)longline + sizeof(longline));
}
