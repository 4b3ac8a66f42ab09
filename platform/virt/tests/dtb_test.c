/*
 * The DTB reader and boot-info parser against good and bad blobs. The blobs
 * are built here, byte by byte, by a tiny writer, then damaged on purpose:
 * every damage must give a clear error (code and sentence), never a fault.
 */
#include <arch/arm_platform.h>
#include <kernel/kernel.h>
#include <ktest.h>
#include <lib/err.h>
#include <string.h>

#define BLOB_MAX 1024

struct dtb_writer {
	uint8_t blob[BLOB_MAX] __attribute__((aligned(8)));
	uint8_t strings[256];
	uint32_t len, strings_len, struct_start;
};

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void emit32(struct dtb_writer *w, uint32_t v)
{
	put32(w->blob + w->len, v);
	w->len += 4;
}

static void emit_bytes(struct dtb_writer *w, const void *p, uint32_t n)
{
	memcpy(w->blob + w->len, p, n);
	w->len += n;
	while (w->len & 3)
		w->blob[w->len++] = 0;
}

/* Header (filled in by finish), an empty reservation block unless
 * `rsv_base/size` is non-zero, then the root node. */
static void dtb_start(struct dtb_writer *w, uint64_t rsv_base,
		      uint64_t rsv_size)
{
	memset(w, 0, sizeof(*w));
	w->len = 40;
	emit32(w, rsv_base >> 32);
	emit32(w, (uint32_t)rsv_base);
	emit32(w, rsv_size >> 32);
	emit32(w, (uint32_t)rsv_size);
	if (rsv_base || rsv_size)
		w->len += 16; /* terminator: zeros */
	w->struct_start = w->len;
}

static void node(struct dtb_writer *w, const char *name)
{
	emit32(w, 1);
	emit_bytes(w, name, (uint32_t)strlen(name) + 1);
}

static void end(struct dtb_writer *w)
{
	emit32(w, 2);
}

static void prop(struct dtb_writer *w, const char *name, const void *val,
		 uint32_t len)
{
	uint32_t nameoff = w->strings_len;
	size_t n = strlen(name) + 1;
	memcpy(w->strings + w->strings_len, name, n);
	w->strings_len += (uint32_t)n;
	emit32(w, 3);
	emit32(w, len);
	emit32(w, nameoff);
	emit_bytes(w, val, len);
}

static void prop_str(struct dtb_writer *w, const char *name, const char *s)
{
	prop(w, name, s, (uint32_t)strlen(s) + 1);
}

/* Up to 8 cells. */
static void prop_cells(struct dtb_writer *w, const char *name, unsigned n,
		       const uint32_t *cells)
{
	if (n > 8)
		n = 8;
	uint8_t buf[32];
	for (unsigned i = 0; i < n; i++)
		put32(buf + 4 * i, cells[i]);
	prop(w, name, buf, 4 * n);
}

static void prop_u32(struct dtb_writer *w, const char *name, uint32_t v)
{
	prop_cells(w, name, 1, &v);
}

/* Close the structure block, append strings, write the header. Returns
 * the total size. */
static uint32_t dtb_finish(struct dtb_writer *w)
{
	emit32(w, 9);
	uint32_t struct_size = w->len - w->struct_start;
	uint32_t strings_off = w->len;
	memcpy(w->blob + w->len, w->strings, w->strings_len);
	w->len += w->strings_len;
	put32(w->blob + 0, FDT_MAGIC);
	put32(w->blob + 4, w->len);
	put32(w->blob + 8, w->struct_start);
	put32(w->blob + 12, strings_off);
	put32(w->blob + 16, 40);
	put32(w->blob + 20, 17);
	put32(w->blob + 24, 16);
	put32(w->blob + 28, 0);
	put32(w->blob + 32, w->strings_len);
	put32(w->blob + 36, struct_size);
	return w->len;
}

/* A QEMU-virt-like tree: 2+2 cells, 128 MiB at 1 GiB plus a 64-bit bank,
 * a reserved-memory child, bootargs, a 64-bit initrd, GIC, timer, PSCI. */
static uint32_t build_virt(struct dtb_writer *w, bool with_memory)
{
	dtb_start(w, 0x40000000, 0x1000);
	node(w, "");
	prop_u32(w, "#address-cells", 2);
	prop_u32(w, "#size-cells", 2);
	prop_str(w, "compatible", "linux,dummy-virt");
	if (with_memory) {
		node(w, "memory@40000000");
		prop_str(w, "device_type", "memory");
		const uint32_t reg[] = {0,   0x40000000, 0, 0x08000000,
					0x1, 0x00000000, 0, 0x10000000};
		prop_cells(w, "reg", 4, reg);
		end(w);
		node(w, "memory@100000000");
		prop_str(w, "device_type", "memory");
		prop_cells(w, "reg", 4, reg + 4);
		end(w);
	}
	node(w, "reserved-memory");
	prop_u32(w, "#address-cells", 1);
	prop_u32(w, "#size-cells", 1);
	node(w, "fw@47000000");
	const uint32_t rreg[] = {0x47000000, 0x100000};
	prop_cells(w, "reg", 2, rreg);
	end(w);
	end(w);
	node(w, "chosen");
	prop_str(w, "bootargs", "test quiet");
	const uint32_t is[] = {0, 0x44000000}, ie[] = {0, 0x44001000};
	prop_cells(w, "linux,initrd-start", 2, is);
	prop_cells(w, "linux,initrd-end", 2, ie);
	end(w);
	node(w, "intc@8000000");
	prop_str(w, "compatible", "arm,cortex-a15-gic");
	const uint32_t greg[] = {0, 0x08000000, 0, 0x10000,
				 0, 0x08010000, 0, 0x10000};
	prop_cells(w, "reg", 8, greg);
	end(w);
	node(w, "psci");
	prop_str(w, "compatible", "arm,psci-0.2");
	prop_str(w, "method", "hvc");
	end(w);
	end(w);
	return dtb_finish(w);
}

/* Does `s` contain `word`? (The kernel has no strstr.) */
static bool contains(const char *s, const char *word)
{
	size_t n = strlen(word);
	for (; s && *s; s++)
		if (strncmp(s, word, n) == 0)
			return true;
	return false;
}

static struct dtb_writer w;
static struct boot_info bi;
static struct arm_platform plat;
static const char *why;

static int parse(size_t avail)
{
	memset(&bi, 0, sizeof(bi));
	memset(&plat, 0, sizeof(plat));
	why = NULL;
	return arm_dtb_parse(w.blob, avail, &bi, &plat, &why);
}

/* Expect `rc` to be the error `err` with a reason mentioning `word`. */
static void expect_error(struct ktest *t, int rc, int err, const char *word)
{
	KT_EXPECT_EQ(t, rc, err);
	KT_EXPECT_MSG(t, why && contains(why, word),
		      "reason \"%s\" should mention \"%s\"",
		      why ? why : "(none)", word);
}

KTEST(virt, dtb_good_tree_parses)
{
	uint32_t size = build_virt(&w, true);

	KT_ASSERT_EQ(t, parse(size), 0);
	/* Two banks from two nodes, then the reservations. */
	KT_ASSERT(t, bi.mem_count >= 4);
	KT_EXPECT_EQ(t, bi.mem[0].base, 0x40000000);
	KT_EXPECT_EQ(t, bi.mem[0].size, 0x08000000);
	KT_EXPECT_EQ(t, bi.mem[0].type, BOOT_MEM_USABLE);
	KT_EXPECT_EQ(t, bi.mem[1].base, 0x100000000ull);
	KT_EXPECT_EQ(t, bi.mem[1].size, 0x10000000);
	KT_EXPECT_EQ(t, bi.mem[1].type, BOOT_MEM_USABLE);
	bool rsv_block = false, rsv_node = false;
	for (unsigned i = 0; i < bi.mem_count; i++) {
		if (bi.mem[i].type != BOOT_MEM_RESERVED)
			continue;
		rsv_block |= bi.mem[i].base == 0x40000000 &&
			     bi.mem[i].size == 0x1000;
		rsv_node |= bi.mem[i].base == 0x47000000 &&
			    bi.mem[i].size == 0x100000;
	}
	KT_EXPECT(t, rsv_block);
	KT_EXPECT(t, rsv_node);
	KT_EXPECT_STREQ(t, bi.cmdline, "test quiet");
	KT_EXPECT_EQ(t, bi.cmdline_dropped, 0);
	KT_EXPECT_EQ(t, bi.module_count, 1);
	KT_EXPECT_EQ(t, bi.modules[0].start, 0x44000000);
	KT_EXPECT_EQ(t, bi.modules[0].end, 0x44001000);
	KT_EXPECT_EQ(t, bi.bootdata_start, (uintptr_t)w.blob);
	KT_EXPECT_EQ(t, bi.bootdata_end, (uintptr_t)w.blob + size);
	KT_EXPECT_EQ(t, plat.gicd_base, 0x08000000);
	KT_EXPECT_EQ(t, plat.gicc_base, 0x08010000);
	KT_EXPECT_EQ(t, plat.psci, PSCI_HVC);
	KT_EXPECT_STREQ(t, plat.model, "linux,dummy-virt");
}

KTEST(virt, dtb_one_cell_memory_and_32bit_initrd)
{
	dtb_start(&w, 0, 0);
	node(&w, "");
	prop_u32(&w, "#address-cells", 1);
	prop_u32(&w, "#size-cells", 1);
	node(&w, "memory");
	const uint32_t reg[] = {0x40000000, 0x04000000, 0x50000000, 0x1000};
	prop_cells(&w, "reg", 4, reg);
	end(&w);
	node(&w, "chosen");
	prop_u32(&w, "linux,initrd-start", 0x42000000);
	prop_u32(&w, "linux,initrd-end", 0x42000800);
	end(&w);
	end(&w);
	uint32_t size = dtb_finish(&w);

	KT_ASSERT_EQ(t, parse(size), 0);
	KT_ASSERT_EQ(t, bi.mem_count, 2);
	KT_EXPECT_EQ(t, bi.mem[0].base, 0x40000000);
	KT_EXPECT_EQ(t, bi.mem[0].size, 0x04000000);
	KT_EXPECT_EQ(t, bi.mem[1].base, 0x50000000);
	KT_EXPECT_EQ(t, bi.modules[0].start, 0x42000000);
	KT_EXPECT_EQ(t, bi.modules[0].end, 0x42000800);
	KT_EXPECT_STREQ(t, bi.cmdline, "");
}

KTEST(virt, dtb_bad_magic)
{
	uint32_t size = build_virt(&w, true);
	w.blob[0] ^= 0xff;
	expect_error(t, parse(size), -EINVAL, "magic");
}

KTEST(virt, dtb_truncated)
{
	uint32_t size = build_virt(&w, true);
	expect_error(t, parse(size - 1), -E2BIG, "truncated");
	expect_error(t, parse(12), -E2BIG, "truncated");
	expect_error(t, parse(0), -E2BIG, "truncated");
}

KTEST(virt, dtb_offsets_past_totalsize)
{
	uint32_t size = build_virt(&w, true);

	put32(w.blob + 8, (size + 64) & ~3u); /* structure block */
	expect_error(t, parse(size), -EINVAL, "structure");
	build_virt(&w, true);
	put32(w.blob + 36, 0xfffffff0); /* structure size: wraps */
	expect_error(t, parse(size), -EINVAL, "structure");
	build_virt(&w, true);
	put32(w.blob + 12, 0xfffffffc); /* strings block */
	expect_error(t, parse(size), -EINVAL, "strings");
	build_virt(&w, true);
	put32(w.blob + 16, (size + 8) & ~7u); /* reservation block */
	expect_error(t, parse(size), -EINVAL, "reservation");
	build_virt(&w, true);
	put32(w.blob + 4, 8); /* totalsize smaller than the header */
	expect_error(t, parse(size), -EINVAL, "header");
}

KTEST(virt, dtb_old_version_refused)
{
	uint32_t size = build_virt(&w, true);
	put32(w.blob + 20, 3);
	expect_error(t, parse(size), -ENOEXEC, "version");
}

KTEST(virt, dtb_missing_memory)
{
	uint32_t size = build_virt(&w, false);
	expect_error(t, parse(size), -ENOENT, "memory");
}

KTEST(virt, dtb_property_past_block)
{
	uint32_t size = build_virt(&w, true);
	/* The root's first property: token, len, nameoff. Make len huge. */
	put32(w.blob + w.struct_start + 12, 0x7ffffff0);
	expect_error(t, parse(size), -EINVAL, "property");
}

KTEST(virt, dtb_bad_cells_and_reg)
{
	dtb_start(&w, 0, 0);
	node(&w, "");
	prop_u32(&w, "#address-cells", 3);
	end(&w);
	uint32_t size = dtb_finish(&w);
	expect_error(t, parse(size), -EINVAL, "cells");

	dtb_start(&w, 0, 0);
	node(&w, "");
	prop_u32(&w, "#address-cells", 2);
	prop_u32(&w, "#size-cells", 2);
	node(&w, "memory@0");
	const uint32_t reg[] = {0, 0x40000000, 0};
	prop_cells(&w, "reg", 3, reg); /* 12 bytes: not a whole entry */
	end(&w);
	end(&w);
	size = dtb_finish(&w);
	expect_error(t, parse(size), -EINVAL, "reg");
}

KTEST(virt, dtb_unterminated_tree)
{
	dtb_start(&w, 0, 0);
	node(&w, "");
	prop_u32(&w, "#address-cells", 1);
	node(&w, "memory");
	/* No END_NODEs: the END token comes inside two open nodes. */
	uint32_t size = dtb_finish(&w);
	int rc = parse(size);
	KT_EXPECT(t, rc == -EINVAL || rc == -ENOENT);
	KT_EXPECT(t, why != NULL);
}

/* Random damage must never fault or hang: every result is 0 or an error
 * with a reason. */
KTEST(virt, dtb_random_damage_is_contained)
{
	uint32_t seed = 12345, errors = 0;
	for (int round = 0; round < 400; round++) {
		uint32_t size = build_virt(&w, true);
		for (int k = 0; k < 1 + round % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			uint32_t pos = (seed >> 8) % size;
			seed = seed * 1103515245u + 12345u;
			w.blob[pos] ^= (uint8_t)(1u << ((seed >> 16) % 8));
		}
		seed = seed * 1103515245u + 12345u;
		size_t avail = (round & 7) == 7 ? (seed >> 8) % size : size;
		int rc = parse(avail);
		if (rc < 0) {
			errors++;
			KT_EXPECT_MSG(t, why != NULL,
				      "round %d: error %d without a reason",
				      round, rc);
		}
	}
	ktest_log(t, "%u of 400 damaged blobs refused", (unsigned)errors);
	KT_EXPECT(t, errors > 0);
}

/* The blob the loader gave this boot parses the same way (when there was
 * one): a regression check on real input. */
KTEST(virt, dtb_of_this_boot)
{
	struct boot_info *kbi = kernel_boot_info;
	if (!kbi || kbi->bootdata_start == 0)
		KT_SKIP(t, "booted without a usable DTB");
	memset(&bi, 0, sizeof(bi));
	memset(&plat, 0, sizeof(plat));
	int rc = arm_dtb_parse((const void *)kbi->bootdata_start,
			       kbi->bootdata_end - kbi->bootdata_start, &bi,
			       &plat, &why);
	KT_ASSERT_EQ(t, rc, 0);
	KT_EXPECT_EQ(t, bi.mem_count, kbi->mem_count);
	KT_EXPECT_STREQ(t, bi.cmdline, kbi->cmdline);
	KT_EXPECT_NE(t, plat.gicd_base, 0);
}

/* QEMU virt with secure=on lists a secure-only PL011 (status "disabled")
 * before the normal one: the console must be the enabled one, or the one
 * /chosen/stdout-path names. */
static uint32_t build_uarts(const char *stdout_path)
{
	dtb_start(&w, 0, 0);
	node(&w, "");
	prop_u32(&w, "#address-cells", 1);
	prop_u32(&w, "#size-cells", 1);
	node(&w, "memory");
	const uint32_t reg[] = {0x40000000, 0x04000000};
	prop_cells(&w, "reg", 2, reg);
	end(&w);
	if (stdout_path) {
		node(&w, "chosen");
		prop_str(&w, "stdout-path", stdout_path);
		end(&w);
	}
	node(&w, "pl011@9040000");
	prop_str(&w, "compatible", "arm,pl011");
	const uint32_t sreg[] = {0x09040000, 0x1000};
	prop_cells(&w, "reg", 2, sreg);
	prop_str(&w, "status", "disabled");
	end(&w);
	node(&w, "pl011@9000000");
	prop_str(&w, "compatible", "arm,pl011");
	const uint32_t ureg[] = {0x09000000, 0x1000};
	prop_cells(&w, "reg", 2, ureg);
	end(&w);
	node(&w, "pl011@9050000");
	prop_str(&w, "compatible", "arm,pl011");
	const uint32_t oreg[] = {0x09050000, 0x1000};
	prop_cells(&w, "reg", 2, oreg);
	end(&w);
	end(&w);
	return dtb_finish(&w);
}

KTEST(virt, dtb_console_skips_disabled_uart)
{
	KT_ASSERT_EQ(t, parse(build_uarts(NULL)), 0);
	KT_EXPECT_EQ(t, plat.uart_base, 0x09000000);
	KT_ASSERT_EQ(t, parse(build_uarts("/pl011@9050000:115200n8")), 0);
	KT_EXPECT_EQ(t, plat.uart_base, 0x09050000);
	/* stdout-path to the disabled one, or to nothing: first enabled. */
	KT_ASSERT_EQ(t, parse(build_uarts("/pl011@9040000")), 0);
	KT_EXPECT_EQ(t, plat.uart_base, 0x09000000);
	KT_ASSERT_EQ(t, parse(build_uarts("/nowhere")), 0);
	KT_EXPECT_EQ(t, plat.uart_base, 0x09000000);
}
