/*
 * tools/wasmspec/json.h: a small JSON reader for wast2json output.
 * Parses a whole document into a tree; strings are decoded to UTF-8.
 */
#ifndef WASMSPEC_JSON_H
#define WASMSPEC_JSON_H

#include <stddef.h>

enum json_type { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct json {
	enum json_type type;
	char *str;  /* J_STR: decoded bytes; J_OBJ member: key */
	size_t len; /* J_STR byte length */
	double num;
	int boolean;
	struct json *child; /* first element/member */
	struct json *next;  /* next sibling */
	char *key;	    /* set on object members */
};

/* Parse `text`; NULL on a syntax error (with *err set to a reason). */
struct json *json_parse(const char *text, size_t len, const char **err);
void json_free(struct json *j);
/* Member of an object by key, or NULL. */
struct json *json_get(const struct json *obj, const char *key);
/* String member, or NULL if absent or not a string. */
const char *json_str(const struct json *obj, const char *key);

#endif
