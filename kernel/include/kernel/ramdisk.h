/*
 * The ramdisk: files from the boot modules, read-only, by name.
 *
 * A module that is a ustar archive (`tar --format=ustar`) contributes its
 * regular files; any other module is one file named by the basename of its
 * first command-line word (QEMU's -initrd "FILE ARGS" and GRUB's
 * `module /boot/FILE FILE ARGS` both give it). File data stays where the
 * loader put it (identity-mapped kernel memory): nothing is copied.
 */
#ifndef KERNEL_RAMDISK_H
#define KERNEL_RAMDISK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RAMDISK_MAX_FILES 128
#define RAMDISK_NAME_MAX 100 /* ustar name field; prefix/ is joined */

struct ramdisk_file {
	char name[RAMDISK_NAME_MAX + 1]; /* path without leading "./" or "/" */
	const uint8_t *data;
	size_t size;
};

struct ramdisk {
	struct ramdisk_file files[RAMDISK_MAX_FILES];
	unsigned count;
	unsigned dropped; /* files beyond RAMDISK_MAX_FILES */
};

/*
 * Is [data, data + size) a ustar archive? (The magic "ustar" at offset 257
 * of the first header and a valid header checksum.)
 */
bool ramdisk_is_ustar(const uint8_t *data, size_t size);

/*
 * Add the regular files of the ustar archive in [data, data + size).
 * Every header is checked (checksum, octal fields, sizes within the
 * archive); returns the number of files added, or a negative error with
 * *why set: -EINVAL for a damaged header, -E2BIG for a file running past
 * the end. Files added before a damaged header stay.
 */
int ramdisk_add_tar(struct ramdisk *rd, const uint8_t *data, size_t size,
		    const char **why);

/* Add one file named by the basename of the first word of `cmdline`.
 * 0, -EINVAL (no name), -EEXIST (name taken) or -ENOSPC. */
int ramdisk_add_file(struct ramdisk *rd, const char *cmdline,
		     const uint8_t *data, size_t size);

/* The file called `name` (leading "/" and "./" ignored), or NULL. */
const struct ramdisk_file *ramdisk_find(const struct ramdisk *rd,
					const char *name);

/* The kernel's ramdisk, filled from the boot modules by ramdisk_init(). */
extern struct ramdisk kernel_ramdisk;
struct boot_info;
void ramdisk_init(const struct boot_info *bi);

#endif
