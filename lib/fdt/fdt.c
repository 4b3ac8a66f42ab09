/*
 * Flattened device tree reader (see <lib/fdt.h>). The blob comes from the
 * boot loader and is not trusted: every offset is checked against the
 * structure or strings block before it is read, and every walk moves
 * forward by at least one token, so it ends.
 */
#include <lib/err.h>
#include <lib/fdt.h>
#include <string.h>

#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP	       4
#define FDT_END	       9

#define FDT_HEADER_SIZE 40

static int fail(struct fdt *f, int err, const char *why)
{
	f->error = why;
	return err;
}

/* Is [off, off + len) inside [0, limit)? Overflow-safe. */
static int in_range(uint32_t off, uint32_t len, uint32_t limit)
{
	return off <= limit && len <= limit - off;
}

int fdt_open(struct fdt *f, const void *blob, size_t avail)
{
	const uint8_t *b = blob;

	memset(f, 0, sizeof(*f));
	if (!blob)
		return fail(f, -EINVAL, "no device tree (null address)");
	if (avail < FDT_HEADER_SIZE)
		return fail(f, -E2BIG,
			    "device tree truncated: no room for the header");
	if (fdt_be32(b) != FDT_MAGIC)
		return fail(f, -EINVAL,
			    "not a device tree: bad magic (want d00dfeed)");
	uint32_t total = fdt_be32(b + 4);
	if (total < FDT_HEADER_SIZE)
		return fail(f, -EINVAL,
			    "device tree totalsize smaller than its header");
	if (total > avail)
		return fail(f, -E2BIG,
			    "device tree truncated: totalsize beyond the "
			    "available bytes");
	uint32_t version = fdt_be32(b + 20);
	uint32_t last_comp = fdt_be32(b + 24);
	if (version < 16 || last_comp > 17)
		return fail(
			f, -ENOEXEC,
			"device tree version not supported (need 16 or 17)");

	f->blob = b;
	f->size = total;
	f->off_struct = fdt_be32(b + 8);
	f->off_strings = fdt_be32(b + 12);
	f->off_rsvmap = fdt_be32(b + 16);
	f->size_strings = fdt_be32(b + 32);
	f->size_struct =
		version >= 17 ? fdt_be32(b + 36) : total - f->off_struct;

	if (!in_range(f->off_struct, f->size_struct, total) ||
	    f->off_struct < FDT_HEADER_SIZE)
		return fail(f, -EINVAL,
			    "device tree structure block outside totalsize");
	if ((f->off_struct & 3) || (f->size_struct & 3))
		return fail(f, -EINVAL,
			    "device tree structure block misaligned");
	if (!in_range(f->off_strings, f->size_strings, total))
		return fail(f, -EINVAL,
			    "device tree strings block outside totalsize");
	if (!in_range(f->off_rsvmap, 16, total) ||
	    f->off_rsvmap < FDT_HEADER_SIZE)
		return fail(f, -EINVAL,
			    "device tree reservation block outside totalsize");
	if (f->off_rsvmap & 7)
		return fail(f, -EINVAL,
			    "device tree reservation block misaligned");
	if (f->size_struct < 8)
		return fail(f, -EINVAL, "device tree structure block empty");
	if (fdt_be32(b + f->off_struct) != FDT_BEGIN_NODE)
		return fail(f, -EINVAL,
			    "device tree does not start with the root node");
	return 0;
}

/* Token at structure offset `off`, or -EINVAL past the block. */
static int token_at(struct fdt *f, uint32_t off, uint32_t *tok)
{
	if ((off & 3) || !in_range(off, 4, f->size_struct))
		return fail(f, -EINVAL,
			    "device tree structure runs past its block");
	*tok = fdt_be32(f->blob + f->off_struct + off);
	return 0;
}

/* Length of the NUL-terminated string at structure offset `off`, bounded by
 * the block, or -EINVAL if it is not terminated. */
static int struct_strlen(struct fdt *f, uint32_t off)
{
	if (off > f->size_struct)
		return fail(f, -EINVAL, "device tree node name past its block");
	const char *s = (const char *)f->blob + f->off_struct + off;
	const char *nul = memchr(s, 0, f->size_struct - off);
	if (!nul)
		return fail(f, -EINVAL, "device tree node name not terminated");
	return (int)(nul - s);
}

/*
 * Step over the token at *off. Sets *tok and advances *off past it (and its
 * payload). Returns 0 or -EINVAL.
 */
static int next_token(struct fdt *f, uint32_t *off, uint32_t *tok)
{
	int rc = token_at(f, *off, tok);
	if (rc < 0)
		return rc;
	uint32_t o = *off + 4;

	switch (*tok) {
	case FDT_BEGIN_NODE: {
		int n = struct_strlen(f, o);
		if (n < 0)
			return n;
		o += ((uint32_t)n + 1 + 3) & ~3u;
		break;
	}
	case FDT_PROP: {
		if (!in_range(o, 8, f->size_struct))
			return fail(
				f, -EINVAL,
				"device tree property header past its block");
		uint32_t len = fdt_be32(f->blob + f->off_struct + o);
		o += 8;
		if (!in_range(o, len, f->size_struct))
			return fail(
				f, -EINVAL,
				"device tree property value past its block");
		o += (len + 3) & ~3u;
		break;
	}
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END: break;
	default: return fail(f, -EINVAL, "device tree has an unknown token");
	}
	if (o > f->size_struct)
		return fail(f, -EINVAL,
			    "device tree structure runs past its block");
	*off = o;
	return 0;
}

/* Offset just after node `node`'s properties (first child or END_NODE). */
/* Step *o from node `node`'s offset past its BEGIN_NODE token (and name);
 * an offset that is not a node is an error. */
static int enter_node(struct fdt *f, int node, uint32_t *o)
{
	uint32_t tok;

	*o = (uint32_t)node;
	int rc = next_token(f, o, &tok);
	if (rc < 0)
		return rc;
	if (tok != FDT_BEGIN_NODE)
		return fail(f, -EINVAL, "device tree offset is not a node");
	return 0;
}

/* Step over NOPs to the next token in a node's property list: 1 with
 * *here at a PROP token (and *o past it), 0 with *here at the first token
 * after the properties, or a negative error. */
static int next_prop(struct fdt *f, uint32_t *o, uint32_t *here)
{
	uint32_t tok;
	for (;;) {
		*here = *o;
		int rc = next_token(f, o, &tok);
		if (rc < 0)
			return rc;
		if (tok != FDT_NOP)
			return tok == FDT_PROP;
	}
}

static int skip_props(struct fdt *f, int node, uint32_t *off)
{
	uint32_t o;
	int rc = enter_node(f, node, &o);
	while (rc >= 0 && (rc = next_prop(f, &o, off)) > 0)
		;
	return rc < 0 ? rc : 0;
}

/* Offset just after node `node`'s END_NODE (the next sibling or the
 * parent's END_NODE). */
static int skip_node(struct fdt *f, int node, uint32_t *off)
{
	uint32_t tok, o = (uint32_t)node;
	int depth = 0;

	for (;;) {
		int rc = next_token(f, &o, &tok);
		if (rc < 0)
			return rc;
		if (tok == FDT_BEGIN_NODE) {
			depth++;
		} else if (tok == FDT_END_NODE) {
			if (--depth == 0) {
				*off = o;
				return 0;
			}
		} else if (tok == FDT_END) {
			return fail(f, -EINVAL,
				    "device tree ends inside a node");
		}
	}
}

/* The first BEGIN_NODE at or after `o` before an END_NODE; -ENOENT if an
 * END_NODE comes first. */
static int node_at_or_after(struct fdt *f, uint32_t o)
{
	uint32_t tok;
	for (;;) {
		uint32_t here = o;
		int rc = next_token(f, &o, &tok);
		if (rc < 0)
			return rc;
		if (tok == FDT_NOP)
			continue;
		if (tok == FDT_BEGIN_NODE)
			return here > 0x7fffffff ? -EINVAL : (int)here;
		if (tok == FDT_END_NODE)
			return -ENOENT;
		return fail(f, -EINVAL,
			    "device tree: property after a child node");
	}
}

int fdt_first_child(struct fdt *f, int node)
{
	uint32_t o;
	int rc = skip_props(f, node, &o);
	return rc < 0 ? rc : node_at_or_after(f, o);
}

int fdt_next_sibling(struct fdt *f, int node)
{
	uint32_t o;
	int rc = skip_node(f, node, &o);
	return rc < 0 ? rc : node_at_or_after(f, o);
}

const char *fdt_node_name(struct fdt *f, int node)
{
	uint32_t tok;
	if (node < 0 || token_at(f, (uint32_t)node, &tok) < 0 ||
	    tok != FDT_BEGIN_NODE || struct_strlen(f, (uint32_t)node + 4) < 0)
		return NULL;
	return (const char *)f->blob + f->off_struct + node + 4;
}

/* Does node name `name` ("memory@40000000") match path component
 * [comp, comp + len)? Without '@' in the component, any unit address. */
static int name_matches(const char *name, const char *comp, size_t len)
{
	if (strncmp(name, comp, len) != 0)
		return 0;
	if (name[len] == '\0')
		return 1;
	return name[len] == '@' && !memchr(comp, '@', len);
}

int fdt_path_offset(struct fdt *f, const char *path)
{
	if (path[0] != '/')
		return fail(f, -EINVAL, "device tree path must start with '/'");
	int node = 0;
	const char *p = path;

	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		int child = fdt_first_child(f, node);
		while (child >= 0) {
			const char *name = fdt_node_name(f, child);
			if (!name)
				return -EINVAL;
			if (name_matches(name, p, len))
				break;
			child = fdt_next_sibling(f, child);
		}
		if (child < 0)
			return child;
		node = child;
		p += len;
	}
	return node;
}

int fdt_getprop(struct fdt *f, int node, const char *name, const void **val,
		uint32_t *len)
{
	uint32_t o, here;
	int rc = enter_node(f, node, &o);
	if (rc < 0)
		return rc;
	for (;;) {
		rc = next_prop(f, &o, &here);
		if (rc <= 0)
			return rc < 0 ? rc : -ENOENT;
		const uint8_t *p = f->blob + f->off_struct + here + 4;
		uint32_t plen = fdt_be32(p), nameoff = fdt_be32(p + 4);
		if (nameoff >= f->size_strings)
			return fail(f, -EINVAL,
				    "device tree property name outside the "
				    "strings block");
		const char *pname =
			(const char *)f->blob + f->off_strings + nameoff;
		size_t room = f->size_strings - nameoff;
		size_t want = strlen(name) + 1;
		if (want <= room && memcmp(pname, name, want) == 0) {
			*val = p + 8;
			*len = plen;
			return 0;
		}
	}
}

const char *fdt_getprop_str(struct fdt *f, int node, const char *name)
{
	const void *v;
	uint32_t len;
	if (fdt_getprop(f, node, name, &v, &len) < 0 || len == 0 ||
	    !memchr(v, 0, len))
		return NULL;
	return v;
}

uint32_t fdt_getprop_u32(struct fdt *f, int node, const char *name,
			 uint32_t dflt)
{
	const void *v;
	uint32_t len;
	if (fdt_getprop(f, node, name, &v, &len) < 0 || len != 4)
		return dflt;
	return fdt_be32(v);
}

int fdt_is_compatible(struct fdt *f, int node, const char *compat)
{
	const void *v;
	uint32_t len;
	if (fdt_getprop(f, node, "compatible", &v, &len) < 0)
		return 0;
	const char *s = v, *end = s + len;
	while (s < end) {
		const char *nul = memchr(s, 0, (size_t)(end - s));
		if (!nul)
			return 0;
		if (strcmp(s, compat) == 0)
			return 1;
		s = nul + 1;
	}
	return 0;
}

uint64_t fdt_read_cells(const void *p, unsigned cells)
{
	const uint8_t *b = p;
	uint64_t v = 0;
	for (unsigned i = 0; i < cells; i++)
		v = v << 32 | fdt_be32(b + 4 * i);
	return v;
}

int fdt_get_rsv(struct fdt *f, unsigned i, uint64_t *base, uint64_t *size)
{
	uint32_t off = f->off_rsvmap;
	for (unsigned k = 0; k <= i; k++, off += 16) {
		if (!in_range(off, 16, f->size))
			return fail(f, -EINVAL,
				    "device tree reservation block runs past "
				    "totalsize");
		const uint8_t *p = f->blob + off;
		*base = fdt_read_cells(p, 2);
		*size = fdt_read_cells(p + 8, 2);
		if (*base == 0 && *size == 0)
			return -ENOENT;
	}
	return 0;
}
