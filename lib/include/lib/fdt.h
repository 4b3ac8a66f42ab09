/*
 * A read-only flattened device tree (DTB) reader for untrusted blobs.
 *
 * Every read is bounds-checked against the blob's own totalsize, which is
 * itself checked against the number of bytes the caller knows are readable:
 * no input makes the reader fault or loop. Functions return 0 / an offset
 * >= 0, or a negative error code from <lib/err.h>; fdt_error_text()
 * gives the last reason in words.
 *
 * Nodes are named by their offset into the structure block (the offset of
 * their FDT_BEGIN_NODE token).
 */
#ifndef ARCH_ARM_FDT_H
#define ARCH_ARM_FDT_H

#include <stddef.h>
#include <stdint.h>

#define FDT_MAGIC 0xd00dfeedu

struct fdt {
	const uint8_t *blob;
	uint32_t size; /* totalsize, validated */
	uint32_t off_struct, size_struct;
	uint32_t off_strings, size_strings;
	uint32_t off_rsvmap;
	const char *error; /* why the last call failed, for messages */
};

/* Validate the header of `blob`, of which `avail` bytes may be read. Fails
 * with -EINVAL (bad magic, blocks outside totalsize, misaligned), -E2BIG
 * (totalsize larger than `avail`: truncated) or -ENOEXEC (version < 16). */
int fdt_open(struct fdt *f, const void *blob, size_t avail);

/* Offset of the node at `path` ("/", "/chosen", "/memory"; a component
 * without '@' matches a node name with any unit address), -ENOENT if there
 * is none, -EINVAL if the structure block is malformed. */
int fdt_path_offset(struct fdt *f, const char *path);

/* First child / next sibling of `node`: an offset, -ENOENT at the end, or
 * -EINVAL if malformed. */
int fdt_first_child(struct fdt *f, int node);
int fdt_next_sibling(struct fdt *f, int node);

/* The node's name (with unit address), or NULL if malformed. */
const char *fdt_node_name(struct fdt *f, int node);

/* Find property `name` of `node`: 0 with the value and its length, -ENOENT, or
 * -EINVAL. */
int fdt_getprop(struct fdt *f, int node, const char *name, const void **val,
		uint32_t *len);

/* A property that is a NUL-terminated string within its length, or NULL. */
const char *fdt_getprop_str(struct fdt *f, int node, const char *name);

/* A one-cell (u32) property, or `dflt` if absent or not 4 bytes. */
uint32_t fdt_getprop_u32(struct fdt *f, int node, const char *name,
			 uint32_t dflt);

/* True if the node's "compatible" string list contains `compat`. */
int fdt_is_compatible(struct fdt *f, int node, const char *compat);

/* Read `cells` (1 or 2) big-endian 32-bit cells at p. */
uint64_t fdt_read_cells(const void *p, unsigned cells);

/* Entry `i` of the memory reservation block: 0, -ENOENT past the end, or
 * -EINVAL if the block runs off the blob. */
int fdt_get_rsv(struct fdt *f, unsigned i, uint64_t *base, uint64_t *size);

static inline uint32_t fdt_be32(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

#endif
