/*
 * The ramdisk's ustar reader against archives built here byte by byte,
 * good and damaged, and single-file modules.
 */
#include <kernel/printk.h>
#include <kernel/ramdisk.h>
#include <kernel/tar.h>
#include <ktest.h>
#include <lib/err.h>
#include <string.h>

static uint8_t tar[8 * 512];
static struct ramdisk rd;

/* Write a ustar header for `name` of `size` bytes at block `blk`. */
static void header(unsigned blk, const char *name, size_t size, char type)
{
	uint8_t *h = tar + blk * 512;
	unsigned sum = 0;

	memset(h, 0, 512);
	memcpy(h, name, strnlen(name, 100));
	snprintf((char *)h + 100, 8, "%07o", 0644);
	snprintf((char *)h + 124, 12, "%011o", (unsigned)size);
	h[156] = (uint8_t)type;
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	memset(h + 148, ' ', 8);
	for (unsigned i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
}

/* hello.txt (5 bytes), a directory, and bin/prog.wasm (600 bytes). */
static size_t build_archive(void)
{
	memset(tar, 0, sizeof(tar));
	header(0, "./hello.txt", 5, '0');
	memcpy(tar + 512, "hello", 5);
	header(2, "bin/", 0, '5');
	header(3, "bin/prog.wasm", 600, '0');
	memset(tar + 4 * 512, 0xab, 600);
	return 8 * 512; /* blocks 6 and 7 are the end marker */
}

KTEST(ramdisk, reads_regular_files_of_an_archive)
{
	const char *why = "";
	size_t n = build_archive();

	memset(&rd, 0, sizeof(rd));
	KT_ASSERT(t, tar_is_archive(tar, n));
	KT_ASSERT_EQ(t, ramdisk_add_tar(&rd, tar, n, &why), 2);
	const struct ramdisk_file *f = ramdisk_find(&rd, "hello.txt");
	KT_ASSERT(t, f != NULL);
	KT_EXPECT_EQ(t, f->size, 5);
	KT_EXPECT_EQ(t, memcmp(f->data, "hello", 5), 0);
	KT_EXPECT(t, ramdisk_find(&rd, "/bin/prog.wasm") != NULL);
	KT_EXPECT_EQ(t, ramdisk_find(&rd, "./bin/prog.wasm")->size, 600);
	KT_EXPECT(t,
		  ramdisk_find(&rd, "bin") == NULL); /* directories skipped */
	KT_EXPECT(t, ramdisk_find(&rd, "missing") == NULL);
}

KTEST(ramdisk, damaged_checksum_is_rejected)
{
	const char *why = "";
	size_t n = build_archive();

	tar[3 * 512 + 10] ^= 1; /* third header damaged */
	memset(&rd, 0, sizeof(rd));
	KT_EXPECT_EQ(t, ramdisk_add_tar(&rd, tar, n, &why), -EINVAL);
	KT_EXPECT_STREQ(t, why, "bad header checksum");
	KT_EXPECT_EQ(t, rd.count, 1); /* the file before the damage stays */
}

KTEST(ramdisk, file_past_the_end_is_e2big)
{
	const char *why = "";

	build_archive();
	memset(&rd, 0, sizeof(rd));
	/* Cut the archive inside prog.wasm's data. */
	KT_EXPECT_EQ(t, ramdisk_add_tar(&rd, tar, 4 * 512 + 100, &why), -E2BIG);
	KT_EXPECT_STREQ(t, why, "a file runs past the end of the archive");
	/* A huge size field in an otherwise valid header. */
	header(0, "big", 0x7fffffff, '0');
	memset(&rd, 0, sizeof(rd));
	KT_EXPECT_EQ(t, ramdisk_add_tar(&rd, tar, sizeof(tar), &why), -E2BIG);
}

KTEST(ramdisk, garbage_is_not_an_archive)
{
	uint8_t junk[600];

	for (unsigned i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)(i * 37 + 11);
	KT_EXPECT(t, !tar_is_archive(junk, sizeof(junk)));
	KT_EXPECT(t, !tar_is_archive(junk, 100)); /* shorter than a header */
	memcpy(junk + 257, "ustar", 5);		  /* magic, bad checksum */
	KT_EXPECT(t, !tar_is_archive(junk, sizeof(junk)));
}

KTEST(ramdisk, bad_octal_and_long_names)
{
	const char *why = "";

	build_archive();
	memcpy(tar + 124, "12x4", 4); /* size field not octal */
	unsigned sum = 0;
	memset(tar + 148, ' ', 8);
	for (unsigned i = 0; i < 512; i++)
		sum += tar[i];
	snprintf((char *)tar + 148, 8, "%06o", sum);
	memset(&rd, 0, sizeof(rd));
	KT_EXPECT_EQ(t, ramdisk_add_tar(&rd, tar, sizeof(tar), &why), -EINVAL);
	KT_EXPECT_STREQ(t, why, "bad size field");

	/* A 100-character name without a terminating NUL is read exactly. */
	char name[101];
	memset(name, 'n', 100);
	name[100] = '\0';
	memset(tar, 0, sizeof(tar));
	header(0, name, 1, '0');
	memset(&rd, 0, sizeof(rd));
	KT_EXPECT_EQ(t, ramdisk_add_tar(&rd, tar, sizeof(tar), &why), 1);
	KT_EXPECT_EQ(t, strlen(rd.files[0].name), 100);
}

KTEST(ramdisk, single_file_modules_by_basename)
{
	static const uint8_t data[] = {0, 'a', 's', 'm'};

	memset(&rd, 0, sizeof(rd));
	KT_EXPECT_EQ(t, ramdisk_add_file(&rd, "/boot/hello.wasm a b", data, 4),
		     0);
	KT_EXPECT(t, ramdisk_find(&rd, "hello.wasm") != NULL);
	KT_EXPECT_EQ(t, ramdisk_add_file(&rd, "other/hello.wasm", data, 4),
		     -EEXIST);
	KT_EXPECT_EQ(t, ramdisk_add_file(&rd, "  ", data, 4), -EINVAL);
	KT_EXPECT_EQ(t, ramdisk_add_file(&rd, "dir/", data, 4), -EINVAL);
	/* A basename over the limit is refused, not cut to a wrong name. */
	char word[RAMDISK_NAME_MAX + 16] = "/boot/";
	memset(word + 6, 'w', RAMDISK_NAME_MAX + 1);
	KT_EXPECT_EQ(t, ramdisk_add_file(&rd, word, data, 4), -ENAMETOOLONG);
	KT_EXPECT_EQ(t, rd.count, 1);
}

KTEST(ramdisk, table_full_is_counted)
{
	static const uint8_t data[1];
	char name[16];

	memset(&rd, 0, sizeof(rd));
	for (int i = 0; i < RAMDISK_MAX_FILES + 3; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		ramdisk_add_file(&rd, name, data, 1);
	}
	KT_EXPECT_EQ(t, rd.count, RAMDISK_MAX_FILES);
	KT_EXPECT_EQ(t, rd.dropped, 3);
}

KTEST(ramdisk, files_past_the_table_go_to_the_more_table)
{
	static const uint8_t data[1];
	static struct ramdisk_file more[5];
	char name[16];

	memset(&rd, 0, sizeof(rd));
	rd.more = more;
	rd.more_max = 5;
	for (int i = 0; i < RAMDISK_MAX_FILES + 7; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		ramdisk_add_file(&rd, name, data, 1);
	}
	KT_EXPECT_EQ(t, rd.count, RAMDISK_MAX_FILES + 5);
	KT_EXPECT_EQ(t, rd.dropped, 2);
	snprintf(name, sizeof(name), "f%d", RAMDISK_MAX_FILES + 4);
	KT_EXPECT(t, ramdisk_find(&rd, name) == &more[4]);
	KT_EXPECT(t, ramdisk_file_at(&rd, RAMDISK_MAX_FILES) == &more[0]);
	KT_EXPECT(t, ramdisk_file_at(&rd, 3) == &rd.files[3]);
	KT_EXPECT_STREQ(t, ramdisk_file_at(&rd, RAMDISK_MAX_FILES)->name,
			"f128");
	/* a name taken in the table is taken for the more table too */
	KT_EXPECT_EQ(t, ramdisk_add_file(&rd, "f3", data, 1), -EEXIST);
	memset(&rd, 0, sizeof(rd));
}

KTEST(ramdisk, an_unnamed_module_runs_by_any_name_while_it_is_alone)
{
	static const uint8_t data[] = {0, 'a', 's', 'm'};
	const struct ramdisk_file *f;

	/* ARM's raw initrd: the device tree gives it no name. */
	memset(&rd, 0, sizeof(rd));
	KT_EXPECT_EQ(t, ramdisk_add_unnamed(&rd, data, 4), 0);
	f = ramdisk_find(&rd, RAMDISK_UNNAMED);
	KT_ASSERT(t, f != NULL);
	KT_EXPECT(t, f->unnamed);
	KT_EXPECT(t, ramdisk_find_program(&rd, "coremark.wasm") == f);
	KT_EXPECT(t, ramdisk_find_program(&rd, "coremark") == f);
	KT_EXPECT(t, ramdisk_find_program(&rd, "initrd") == f);
	KT_EXPECT(t,
		  ramdisk_find(&rd, "coremark.wasm") == NULL); /* not a name */
	KT_EXPECT_EQ(t, ramdisk_add_unnamed(&rd, data, 4), -EEXIST);

	/* With another file beside it, names mean what they say. */
	KT_EXPECT_EQ(t, ramdisk_add_file(&rd, "hello.wasm", data, 4), 0);
	KT_EXPECT(t, ramdisk_find_program(&rd, "coremark.wasm") == NULL);
	KT_EXPECT(t, ramdisk_find_program(&rd, "initrd") == f);
	KT_EXPECT(t, ramdisk_find_program(&rd, "hello") != NULL);

	/* A file the loader named runs by that name only (x86's -initrd). */
	memset(&rd, 0, sizeof(rd));
	KT_EXPECT_EQ(t, ramdisk_add_file(&rd, "/tmp/coremark.wasm", data, 4),
		     0);
	KT_EXPECT(t, !rd.files[0].unnamed);
	KT_EXPECT(t, ramdisk_find_program(&rd, "coremark") == &rd.files[0]);
	KT_EXPECT(t, ramdisk_find_program(&rd, "other.wasm") == NULL);
}

KTEST(ramdisk, summary_says_what_the_ramdisk_holds)
{
	static const uint8_t data[1];
	char buf[96], name[RAMDISK_NAME_MAX + 1];

	memset(&rd, 0, sizeof(rd));
	ramdisk_summary(&rd, buf, sizeof(buf));
	KT_EXPECT_STREQ(t, buf,
			"the ramdisk is empty: boot with a program, or a tar "
			"archive of them, as a module");
	ramdisk_add_unnamed(&rd, data, 1);
	ramdisk_summary(&rd, buf, sizeof(buf));
	KT_EXPECT_STREQ(t, buf, "the ramdisk holds initrd");
	ramdisk_add_file(&rd, "b.wasm", data, 1);
	ramdisk_add_file(&rd, "c.wasm", data, 1);
	ramdisk_summary(&rd, buf, sizeof(buf));
	KT_EXPECT_STREQ(t, buf, "the ramdisk holds initrd, b.wasm and c.wasm");

	/* Many files: as many names as fit, then a count. */
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "program-%02d.wasm", i);
		ramdisk_add_file(&rd, name, data, 1);
	}
	ramdisk_summary(&rd, buf, sizeof(buf));
	KT_EXPECT_STREQ(t, buf,
			"the ramdisk holds initrd, b.wasm, c.wasm, "
			"program-00.wasm and 39 more files");

	/* A first name too long for the buffer: only the count. */
	memset(&rd, 0, sizeof(rd));
	memset(name, 'n', 200);
	name[200] = '\0';
	ramdisk_add_file(&rd, name, data, 1);
	ramdisk_add_file(&rd, "short", data, 1);
	ramdisk_summary(&rd, buf, sizeof(buf));
	KT_EXPECT_STREQ(t, buf, "the ramdisk holds 2 files");
	ramdisk_summary(&rd, buf, 8); /* and never past the buffer */
	KT_EXPECT_EQ(t, strlen(buf), 7);
}
