/*
 * The ramdisk: files from the boot modules, read-only, by name.
 *
 * A module that is a tar archive (ustar, GNU or PAX: <kernel/tar.h>)
 * contributes its regular files, by their full paths; a file that cannot
 * be added (its path longer than RAMDISK_NAME_MAX, a broken long-name
 * header before it, a name that came earlier) is reported by name and the
 * files after it still are. Any other module is one file named by the
 * basename of its first command-line word (QEMU's -initrd "FILE ARGS" and
 * GRUB's `module /boot/FILE FILE ARGS` both give it). A module the loader
 * gives no name (ARM's initrd: the device tree has none) is the file
 * RAMDISK_UNNAMED, and when it is the ramdisk's only file a program is
 * found in it by any name (ramdisk_find_program). File data stays where
 * the loader put it (identity-mapped kernel memory): nothing is copied.
 */
#ifndef KERNEL_RAMDISK_H
#define KERNEL_RAMDISK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Files a struct ramdisk holds itself; more go to its `more` table, when
 * it has one (the kernel's does, sized at boot: see ramdisk_init). */
#define RAMDISK_MAX_FILES 128
/* Every ustar path fits (155-character prefix, "/", 100-character name);
 * longer GNU and PAX names are refused one by one. */
#define RAMDISK_NAME_MAX 256

/* The name of a module the loader did not name. */
#define RAMDISK_UNNAMED "initrd"

struct ramdisk_file {
	char name[RAMDISK_NAME_MAX + 1]; /* path without leading "./" or "/" */
	const uint8_t *data;
	size_t size;
	bool unnamed; /* named RAMDISK_UNNAMED here, not by the loader */
};

struct ramdisk {
	/* Files 0..count-1: the first RAMDISK_MAX_FILES here, the rest in
	 * more[0..more_max) (ramdisk_file_at() finds file i). Entries never
	 * move, so a found file stays valid. */
	struct ramdisk_file files[RAMDISK_MAX_FILES];
	struct ramdisk_file *more;
	unsigned more_max;
	unsigned count;
	unsigned dropped; /* files beyond the room */
	unsigned refused; /* archive members reported and not added */
	/* Where a refused member is reported: its name (printable, shortened
	 * if long) and why. NULL: printk. */
	void (*report)(const char *name, const char *why);
};

/*
 * Add the regular files of the tar archive in [data, data + size)
 * (tar_is_archive() says whether it is one). Returns the number of files
 * added, members refused one by one not counted (see struct ramdisk), or
 * a negative error from tar_walk() with *why set when a header is
 * damaged: the files before it stay.
 */
int ramdisk_add_tar(struct ramdisk *rd, const uint8_t *data, size_t size,
		    const char **why);

/* Add one file named by the basename of the first word of `cmdline`.
 * 0, -EINVAL (no name), -ENAMETOOLONG (over RAMDISK_NAME_MAX), -EEXIST
 * (name taken) or -ENOSPC. */
int ramdisk_add_file(struct ramdisk *rd, const char *cmdline,
		     const uint8_t *data, size_t size);

/* Add a module the loader gave no name as the file RAMDISK_UNNAMED.
 * 0, -EEXIST or -ENOSPC. */
int ramdisk_add_unnamed(struct ramdisk *rd, const uint8_t *data, size_t size);

/* File i of the ramdisk, 0 <= i < rd->count. */
const struct ramdisk_file *ramdisk_file_at(const struct ramdisk *rd,
					   unsigned i);

/* The file called `name` (leading "/" and "./" ignored), or NULL. */
const struct ramdisk_file *ramdisk_find(const struct ramdisk *rd,
					const char *name);

/*
 * The program `run NAME` means: the file NAME, else NAME.wasm, else, when
 * the ramdisk holds one file and the loader gave it no name, that file
 * (so `-initrd prog.wasm -append run=prog.wasm` works on ARM, whose
 * device tree does not carry the file's name). NULL if none.
 */
const struct ramdisk_file *ramdisk_find_program(const struct ramdisk *rd,
						const char *name);

/* What the ramdisk holds, for a message about a missing file: "the ramdisk
 * holds a.wasm, b.wasm and 3 more files" or "the ramdisk is empty ...",
 * cut to fit `size`. */
void ramdisk_summary(const struct ramdisk *rd, char *buf, size_t size);

/* The kernel's ramdisk, filled from the boot modules by ramdisk_init(),
 * which first counts their files and takes the `more` table for those
 * past RAMDISK_MAX_FILES (and RAMDISK_SPARE more, for files added later)
 * from the kernel heap: an archive of any size fits, and a boot with few
 * files pays nothing for it. */
#define RAMDISK_SPARE 32
extern struct ramdisk kernel_ramdisk;
struct boot_info;
void ramdisk_init(const struct boot_info *bi);

#endif
