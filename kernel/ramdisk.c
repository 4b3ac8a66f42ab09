/*
 * The ramdisk (see <kernel/ramdisk.h>): a ustar reader that trusts nothing
 * in the archive, and single-file modules.
 */
#include <arch/boot.h>
#include <kernel/err.h>
#include <kernel/printk.h>
#include <kernel/ramdisk.h>
#include <string.h>

struct ramdisk kernel_ramdisk;

#define BLOCK 512

/* ustar header fields: offset, length. */
#define H_NAME 0, 100
#define H_SIZE 124, 12
#define H_CHKSUM 148, 8
#define H_TYPE 156
#define H_MAGIC 257
#define H_PREFIX 345, 155

/* Parse an octal field (NUL- or space-terminated, leading spaces allowed).
 * Returns false for anything else. */
static bool octal(const uint8_t *h, unsigned off, unsigned len, uint64_t *out)
{
	uint64_t v = 0;
	unsigned i = off, end = off + len;
	bool digits = false;

	while (i < end && h[i] == ' ')
		i++;
	for (; i < end && h[i] >= '0' && h[i] <= '7'; i++) {
		if (v >> 60)
			return false;
		v = v * 8 + (h[i] - '0');
		digits = true;
	}
	for (; i < end; i++) {
		if (h[i] != ' ' && h[i] != '\0')
			return false;
	}
	*out = v;
	return digits;
}

static bool checksum_ok(const uint8_t *h)
{
	uint64_t want;
	unsigned sum = 0;

	if (!octal(h, H_CHKSUM, &want))
		return false;
	for (unsigned i = 0; i < BLOCK; i++)
		sum += (i >= 148 && i < 156) ? ' ' : h[i];
	return sum == want;
}

static bool all_zero(const uint8_t *h)
{
	for (unsigned i = 0; i < BLOCK; i++) {
		if (h[i])
			return false;
	}
	return true;
}

bool ramdisk_is_ustar(const uint8_t *data, size_t size)
{
	return size >= BLOCK && memcmp(data + H_MAGIC, "ustar", 5) == 0 &&
	       checksum_ok(data);
}

/* Copy a fixed-width field that may lack its NUL. */
static size_t field_str(char *dst, const uint8_t *h, unsigned off,
			unsigned len)
{
	size_t n = strnlen((const char *)h + off, len);
	memcpy(dst, h + off, n);
	dst[n] = '\0';
	return n;
}

static const char *strip_root(const char *name)
{
	while (name[0] == '/' || (name[0] == '.' && name[1] == '/'))
		name += name[0] == '/' ? 1 : 2;
	return name;
}

static int add(struct ramdisk *rd, const char *name, const uint8_t *data,
	       size_t size)
{
	name = strip_root(name);
	if (!*name || strlen(name) > RAMDISK_NAME_MAX)
		return -EINVAL;
	if (ramdisk_find(rd, name))
		return -EEXIST;
	if (rd->count == RAMDISK_MAX_FILES) {
		rd->dropped++;
		return -ENOSPC;
	}
	struct ramdisk_file *f = &rd->files[rd->count++];
	strlcpy(f->name, name, sizeof(f->name));
	f->data = data;
	f->size = size;
	return 0;
}

int ramdisk_add_tar(struct ramdisk *rd, const uint8_t *data, size_t size,
		    const char **why)
{
	size_t off = 0;
	int added = 0;

	while (off + BLOCK <= size) {
		const uint8_t *h = data + off;
		if (all_zero(h))
			return added; /* end-of-archive marker */
		if (!checksum_ok(h)) {
			*why = "bad header checksum";
			return -EINVAL;
		}
		uint64_t fsize;
		if (!octal(h, H_SIZE, &fsize)) {
			*why = "bad size field";
			return -EINVAL;
		}
		if (fsize > size - off - BLOCK) {
			*why = "a file runs past the end of the archive";
			return -E2BIG;
		}
		char prefix[156], name[101], path[RAMDISK_NAME_MAX + 1];
		size_t plen = field_str(prefix, h, H_PREFIX);
		size_t nlen = field_str(name, h, H_NAME);
		char type = (char)h[H_TYPE];
		if ((plen ? plen + 1 : 0) + nlen > RAMDISK_NAME_MAX) {
			*why = "a path is longer than the ramdisk keeps";
			return -EINVAL;
		}
		if (plen) {
			memcpy(path, prefix, plen);
			path[plen] = '/';
			memcpy(path + plen + 1, name, nlen + 1);
		} else {
			memcpy(path, name, nlen + 1);
		}
		/* Regular files only ('0' or the old NUL); directories,
		 * links and devices are skipped. */
		if ((type == '0' || type == '\0') && add(rd, path, h + BLOCK, fsize) == 0)
			added++;
		off += BLOCK + ((fsize + BLOCK - 1) / BLOCK) * BLOCK;
	}
	/* Running out without the zero blocks: accept what was read, as
	 * GNU tar does, if at least the headers were whole. */
	return added;
}

int ramdisk_add_file(struct ramdisk *rd, const char *cmdline,
		     const uint8_t *data, size_t size)
{
	char word[RAMDISK_NAME_MAX + 1];
	size_t n = 0;

	while (*cmdline == ' ')
		cmdline++;
	while (cmdline[n] && cmdline[n] != ' ' && n < RAMDISK_NAME_MAX)
		n++;
	memcpy(word, cmdline, n);
	word[n] = '\0';
	const char *base = strrchr(word, '/');
	return add(rd, base ? base + 1 : word, data, size);
}

const struct ramdisk_file *ramdisk_find(const struct ramdisk *rd,
					const char *name)
{
	name = strip_root(name);
	for (unsigned i = 0; i < rd->count; i++) {
		if (strcmp(rd->files[i].name, name) == 0)
			return &rd->files[i];
	}
	return NULL;
}

void ramdisk_init(const struct boot_info *bi)
{
	for (unsigned i = 0; i < bi->module_count; i++) {
		const struct boot_module *m = &bi->modules[i];
		const uint8_t *data = (const uint8_t *)m->start;
		size_t size = m->end - m->start;
		const char *why = "";
		int rc;

		if (ramdisk_is_ustar(data, size)) {
			rc = ramdisk_add_tar(&kernel_ramdisk, data, size, &why);
			if (rc < 0)
				printk("ramdisk: module %u: archive damaged (%s); "
				       "files before the damage are kept\n",
				       i, why);
			else
				printk("ramdisk: module %u: %d files from a ustar "
				       "archive\n", i, rc);
		} else {
			rc = ramdisk_add_file(&kernel_ramdisk,
					      m->cmdline ? m->cmdline : "", data,
					      size);
			if (rc < 0)
				printk("ramdisk: module %u (\"%s\") not added: %s\n",
				       i, m->cmdline ? m->cmdline : "",
				       err_name(rc));
		}
	}
	if (kernel_ramdisk.dropped)
		printk("ramdisk: %u files beyond the first %d ignored\n",
		       kernel_ramdisk.dropped, RAMDISK_MAX_FILES);
}
