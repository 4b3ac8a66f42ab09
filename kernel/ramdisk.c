/*
 * The ramdisk (see <kernel/ramdisk.h>): the files of tar archives (read
 * by kernel/tar.c, which trusts nothing in them) and single-file modules.
 */
#include <arch/boot.h>
#include <kernel/printk.h>
#include <kernel/ramdisk.h>
#include <kernel/tar.h>
#include <lib/err.h>
#include <mm/kheap.h>
#include <stdarg.h>
#include <string.h>

struct ramdisk kernel_ramdisk;

/* A name fit for a message: printable, and a long one shortened to its
 * start and its end (where the file name is). */
#define SHOW_HEAD 48
#define SHOW_TAIL 20
static void show_name(char shown[SHOW_HEAD + 3 + SHOW_TAIL + 1],
		      const char *name, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (len > SHOW_HEAD + 3 + SHOW_TAIL && i == SHOW_HEAD) {
			memcpy(shown + n, "...", 3);
			n += 3;
			i = len - SHOW_TAIL;
		}
		char c = name[i];
		shown[n++] = c >= ' ' && c < 0x7f ? c : '?';
	}
	shown[n] = '\0';
}

/* Tell about one archive member not added (rd->report, else printk). */
static void refuse(struct ramdisk *rd, const char *name, size_t len,
		   const char *fmt, ...)
{
	char shown[SHOW_HEAD + 3 + SHOW_TAIL + 1], why[128];
	va_list ap;

	show_name(shown, name, len);
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	rd->refused++;
	if (rd->report)
		rd->report(shown, why);
	else
		printk("ramdisk: \"%s\" not added: %s\n", shown, why);
}

/* Leading "/" and "./" go: names are relative to the ramdisk's root. */
static void strip_root_n(const char **name, size_t *len)
{
	while (*len && ((*name)[0] == '/' ||
			(*len > 1 && (*name)[0] == '.' && (*name)[1] == '/'))) {
		size_t skip = (*name)[0] == '/' ? 1 : 2;
		*name += skip;
		*len -= skip;
	}
}

static const char *strip_root(const char *name)
{
	size_t len = strlen(name);
	strip_root_n(&name, &len);
	return name;
}

static struct ramdisk_file *file_at(struct ramdisk *rd, unsigned i)
{
	return i < RAMDISK_MAX_FILES ? &rd->files[i]
				     : &rd->more[i - RAMDISK_MAX_FILES];
}

const struct ramdisk_file *ramdisk_file_at(const struct ramdisk *rd, unsigned i)
{
	return file_at((struct ramdisk *)rd, i);
}

/* Add [name, name + len) with its data: 0, -EINVAL (empty), -ENAMETOOLONG
 * (longer than RAMDISK_NAME_MAX), -EEXIST or -ENOSPC (counted in
 * rd->dropped). */
static int add(struct ramdisk *rd, const char *name, size_t len,
	       const uint8_t *data, size_t size)
{
	char copy[RAMDISK_NAME_MAX + 1];

	strip_root_n(&name, &len);
	if (!len || memchr(name, '\0', len))
		return -EINVAL;
	if (len > RAMDISK_NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(copy, name, len);
	copy[len] = '\0';
	if (ramdisk_find(rd, copy))
		return -EEXIST;
	if (rd->count == RAMDISK_MAX_FILES + rd->more_max) {
		rd->dropped++;
		return -ENOSPC;
	}
	struct ramdisk_file *f = file_at(rd, rd->count++);
	memcpy(f->name, copy, len + 1);
	f->data = data;
	f->size = size;
	return 0;
}

struct tar_add {
	struct ramdisk *rd;
	int added;
};

/* One archive member: regular files ('0' or the old NUL) are added;
 * directories, links and devices are skipped without a word, as they
 * hold no file data. A file that cannot be added is told about by name,
 * and the members after it still count. */
static void add_member(void *ctx, const struct tar_entry *e)
{
	struct tar_add *ta = ctx;
	struct ramdisk *rd = ta->rd;

	if (e->bad) {
		refuse(rd, e->name, e->name_len, "%s", e->bad);
		return;
	}
	if (e->type != '0' && e->type != '\0')
		return;
	const char *name = e->name;
	size_t len = e->name_len;
	strip_root_n(&name, &len);
	int rc = add(rd, name, len, e->data, e->size);
	if (rc == 0)
		ta->added++;
	else if (rc == -ENAMETOOLONG)
		refuse(rd, name, len,
		       "its path has %zu characters, the ramdisk keeps at "
		       "most %d",
		       len, RAMDISK_NAME_MAX);
	else if (rc == -EINVAL)
		refuse(rd, e->name, e->name_len, "its name is empty");
	else if (rc == -EEXIST)
		refuse(rd, e->name, e->name_len,
		       "the ramdisk already has a file of that name");
	/* -ENOSPC: counted in rd->dropped, told once by ramdisk_init() */
}

int ramdisk_add_tar(struct ramdisk *rd, const uint8_t *data, size_t size,
		    const char **why)
{
	struct tar_add ta = {rd, 0};
	int rc = tar_walk(data, size, add_member, &ta, why);

	return rc < 0 ? rc : ta.added;
}

int ramdisk_add_file(struct ramdisk *rd, const char *cmdline,
		     const uint8_t *data, size_t size)
{
	const char *base;
	size_t n = 0;

	while (*cmdline == ' ')
		cmdline++;
	base = cmdline;
	for (; cmdline[n] && cmdline[n] != ' '; n++) {
		if (cmdline[n] == '/')
			base = cmdline + n + 1;
	}
	return add(rd, base, (size_t)(cmdline + n - base), data, size);
}

const struct ramdisk_file *ramdisk_find(const struct ramdisk *rd,
					const char *name)
{
	name = strip_root(name);
	for (unsigned i = 0; i < rd->count; i++) {
		const struct ramdisk_file *f = ramdisk_file_at(rd, i);
		if (strcmp(f->name, name) == 0)
			return f;
	}
	return NULL;
}

int ramdisk_add_unnamed(struct ramdisk *rd, const uint8_t *data, size_t size)
{
	int rc = add(rd, RAMDISK_UNNAMED, strlen(RAMDISK_UNNAMED), data, size);

	if (rc == 0)
		file_at(rd, rd->count - 1)->unnamed = true;
	return rc;
}

const struct ramdisk_file *ramdisk_find_program(const struct ramdisk *rd,
						const char *name)
{
	char with_ext[RAMDISK_NAME_MAX + 1];
	const struct ramdisk_file *f = ramdisk_find(rd, name);
	size_t len = strlen(name);

	if (!f && len + 5 <= RAMDISK_NAME_MAX) {
		memcpy(with_ext, name, len);
		memcpy(with_ext + len, ".wasm", 6);
		f = ramdisk_find(rd, with_ext);
	}
	/* Only a file nobody named: a name the loader did give is the one
	 * the user chose, and another file must not run in its place. */
	if (!f && rd->count == 1 && rd->files[0].unnamed)
		f = &rd->files[0];
	return f;
}

void ramdisk_summary(const struct ramdisk *rd, char *buf, size_t size)
{
	const size_t tail = 24; /* room kept for " and 128 more files" */
	unsigned i;
	int n;

	if (rd->count == 0) {
		snprintf(buf, size,
			 "the ramdisk is empty: boot with a program, or a tar "
			 "archive of them, as a module");
		return;
	}
	n = snprintf(buf, size, "the ramdisk holds ");
	for (i = 0; i < rd->count && n >= 0 && (size_t)n < size; i++) {
		const char *sep = i == 0	       ? ""
				  : i + 1 == rd->count ? " and "
						       : ", ";
		const char *name = ramdisk_file_at(rd, i)->name;
		size_t need = strlen(sep) + strlen(name);
		if ((size_t)n + need + (i + 1 < rd->count ? tail : 0) >= size)
			break;
		n += snprintf(buf + n, size - (size_t)n, "%s%s", sep, name);
	}
	if (i == rd->count || n < 0 || (size_t)n >= size)
		return;
	unsigned more = rd->count - i;
	snprintf(buf + n, size - (size_t)n, "%s%u %sfile%s", i ? " and " : "",
		 more, i ? "more " : "", more == 1 ? "" : "s");
}

/* A tar archive module: its files, with a word about what was refused. */
static void init_archive(unsigned i, const uint8_t *data, size_t size)
{
	unsigned refused = kernel_ramdisk.refused;
	const char *why = "";
	int rc = ramdisk_add_tar(&kernel_ramdisk, data, size, &why);

	refused = kernel_ramdisk.refused - refused;
	if (rc < 0)
		printk("ramdisk: module %u: archive damaged (%s); files "
		       "before the damage are kept\n",
		       i, why);
	else if (refused)
		printk("ramdisk: module %u: %d files from a tar archive, %u "
		       "not added (above)\n",
		       i, rc, refused);
	else
		printk("ramdisk: module %u: %d files from a tar archive\n", i,
		       rc);
}

/* A module without a name: tell the user what it is called. */
static void init_unnamed(unsigned i, const uint8_t *data, size_t size)
{
	int rc = ramdisk_add_unnamed(&kernel_ramdisk, data, size);

	if (rc < 0)
		printk("ramdisk: module %u (no name) not added: %s\n", i,
		       err_name(rc));
	else
		printk("ramdisk: module %u: no file name from the loader: it "
		       "is \"%s\", and while it is the only file, run finds "
		       "it by any name\n",
		       i, RAMDISK_UNNAMED);
}

static void count_member(void *ctx, const struct tar_entry *e)
{
	if (!e->bad && (e->type == '0' || e->type == '\0'))
		++*(unsigned *)ctx;
}

/* Room for every file of the boot modules: the files past the table in
 * struct ramdisk get one from the kernel heap. Without it (no memory for
 * it: an absurd archive) the first RAMDISK_MAX_FILES still come. */
static void make_room(const struct boot_info *bi)
{
	unsigned files = 0;
	const char *why;

	for (unsigned i = 0; i < bi->module_count; i++) {
		const struct boot_module *m = &bi->modules[i];
		const uint8_t *data = (const uint8_t *)m->start;
		size_t size = m->end - m->start;
		if (tar_is_archive(data, size))
			tar_walk(data, size, count_member, &files, &why);
		else
			files++;
	}
	if (files + RAMDISK_SPARE <= RAMDISK_MAX_FILES)
		return;
	unsigned more = files + RAMDISK_SPARE - RAMDISK_MAX_FILES;
	kernel_ramdisk.more = kcalloc(more, sizeof(struct ramdisk_file));
	if (kernel_ramdisk.more)
		kernel_ramdisk.more_max = more;
	else
		printk("ramdisk: no kernel memory for a table of %u files\n",
		       files);
}

void ramdisk_init(const struct boot_info *bi)
{
	make_room(bi);
	for (unsigned i = 0; i < bi->module_count; i++) {
		const struct boot_module *m = &bi->modules[i];
		const uint8_t *data = (const uint8_t *)m->start;
		size_t size = m->end - m->start;
		const char *words = m->cmdline ? m->cmdline : "";

		if (tar_is_archive(data, size)) {
			init_archive(i, data, size);
			continue;
		}
		/* A loader may give no name (the device tree has none for
		 * ARM's initrd) or an empty one. */
		while (*words == ' ')
			words++;
		if (!*words) {
			init_unnamed(i, data, size);
			continue;
		}
		int rc = ramdisk_add_file(&kernel_ramdisk, words, data, size);
		if (rc < 0)
			printk("ramdisk: module %u (\"%s\") not added: %s\n", i,
			       words, err_name(rc));
	}
	if (kernel_ramdisk.dropped)
		printk("ramdisk: %u files beyond the first %u ignored\n",
		       kernel_ramdisk.dropped,
		       RAMDISK_MAX_FILES + kernel_ramdisk.more_max);
}
