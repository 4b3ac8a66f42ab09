/*
 * A reader of tar archives in memory (ustar, GNU and PAX, as `tar` writes
 * them): it walks the members and hands each to a callback with its full
 * path. Nothing in the archive is trusted: every header is checked
 * (checksum, octal fields, sizes within the archive) and every extension
 * header is parsed within its own bounds.
 *
 * Long paths: the ustar prefix field (prefix "/" name, up to 256
 * characters, POSIX "ustar\0" magic only: GNU archives use those bytes for
 * other fields), a GNU long-name header (typeflag 'L', "././@LongLink") and
 * a PAX extended header's `path` record (typeflag 'x') name the member
 * after them. PAX global headers ('g') and GNU long link names ('K') are
 * read past. An extension header that cannot be read spoils only the name
 * of the member after it, which is handed over with `bad` set.
 */
#ifndef KERNEL_TAR_H
#define KERNEL_TAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TAR_BLOCK 512

struct tar_entry {
	/* The member's path, not NUL-terminated: from a PAX `path` record, a
	 * GNU long name, or the ustar prefix and name joined by "/". */
	const char *name;
	size_t name_len;
	char type;	     /* typeflag: '0' (or NUL) a regular file */
	const uint8_t *data; /* the member's bytes, inside the archive */
	size_t size;
	/* NULL, or why the extension header before this member could not be
	 * used (name is then its 100-character ustar stand-in). A long name
	 * with no member after it comes with type 'L' or 'x', no data. */
	const char *bad;
};

typedef void tar_visit_fn(void *ctx, const struct tar_entry *e);

/* Is [data, data + size) a tar archive? (The magic "ustar" at offset 257
 * of the first header, POSIX or GNU, and a valid header checksum.) */
bool tar_is_archive(const uint8_t *data, size_t size);

/*
 * Call `visit` for every member of the archive in [data, data + size), in
 * order, until the end-of-archive zero block or the end of the data.
 * Returns the number of members visited, or a negative error with *why
 * set when a header is damaged: -EINVAL (bad checksum or size field) or
 * -E2BIG (a member runs past the end). Members before the damage have been
 * visited; nothing after it can be found, as no header can be trusted.
 */
int tar_walk(const uint8_t *data, size_t size, tar_visit_fn *visit, void *ctx,
	     const char **why);

#endif
