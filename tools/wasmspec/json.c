/*
 * tools/wasmspec/json.c: recursive-descent JSON parser (RFC 8259 subset that
 * wast2json emits, plus \u escapes with surrogate pairs).
 */
#include "json.h"

#include <stdlib.h>
#include <string.h>

struct p {
	const char *s, *end;
	const char *err;
};

static void ws(struct p *p)
{
	while (p->s < p->end && (*p->s == ' ' || *p->s == '\n' ||
				 *p->s == '\r' || *p->s == '\t'))
		p->s++;
}

static struct json *node(enum json_type t)
{
	struct json *j = calloc(1, sizeof(*j));
	if (j)
		j->type = t;
	return j;
}

static int hex4(struct p *p, unsigned *out)
{
	unsigned v = 0;
	if (p->end - p->s < 4)
		return 0;
	for (int i = 0; i < 4; i++) {
		char c = *p->s++;
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return 0;
	}
	*out = v;
	return 1;
}

static char *string(struct p *p, size_t *len)
{
	size_t cap = 16, n = 0;
	char *out = malloc(cap);
	p->s++; /* opening quote */
	while (out) {
		if (p->s >= p->end) {
			p->err = "unterminated string";
			break;
		}
		char c = *p->s++;
		unsigned cp = 0;
		char buf[4];
		int k = 0;
		if (c == '"') {
			out[n] = 0;
			*len = n;
			return out;
		}
		if (c == '\\') {
			if (p->s >= p->end)
				break;
			c = *p->s++;
			switch (c) {
			case 'n': buf[k++] = '\n'; break;
			case 't': buf[k++] = '\t'; break;
			case 'r': buf[k++] = '\r'; break;
			case 'b': buf[k++] = '\b'; break;
			case 'f': buf[k++] = '\f'; break;
			case 'u':
				if (!hex4(p, &cp)) {
					p->err = "bad \\u escape";
					goto fail;
				}
				if (cp >= 0xd800 && cp < 0xdc00 &&
				    p->end - p->s >= 6 && p->s[0] == '\\' &&
				    p->s[1] == 'u') {
					unsigned lo;
					p->s += 2;
					if (!hex4(p, &lo))
						goto fail;
					cp = 0x10000 + ((cp - 0xd800) << 10) +
					     (lo - 0xdc00);
				}
				if (cp < 0x80) {
					buf[k++] = (char)cp;
				} else if (cp < 0x800) {
					buf[k++] = (char)(0xc0 | cp >> 6);
					buf[k++] = (char)(0x80 | (cp & 63));
				} else if (cp < 0x10000) {
					buf[k++] = (char)(0xe0 | cp >> 12);
					buf[k++] =
						(char)(0x80 | ((cp >> 6) & 63));
					buf[k++] = (char)(0x80 | (cp & 63));
				} else {
					buf[k++] = (char)(0xf0 | cp >> 18);
					buf[k++] = (char)(0x80 |
							  ((cp >> 12) & 63));
					buf[k++] =
						(char)(0x80 | ((cp >> 6) & 63));
					buf[k++] = (char)(0x80 | (cp & 63));
				}
				break;
			default: buf[k++] = c; break;
			}
		} else {
			buf[k++] = c;
		}
		if (n + (size_t)k + 1 > cap) {
			cap = cap * 2 + (size_t)k;
			char *o = realloc(out, cap);
			if (!o)
				goto fail;
			out = o;
		}
		memcpy(out + n, buf, (size_t)k);
		n += (size_t)k;
	}
fail:
	if (!p->err)
		p->err = "bad string";
	free(out);
	return NULL;
}

static struct json *value(struct p *p, int depth);

static struct json *container(struct p *p, int depth, int obj)
{
	struct json *j = node(obj ? J_OBJ : J_ARR), **tail;
	if (!j)
		return NULL;
	tail = &j->child;
	p->s++;
	ws(p);
	if (p->s < p->end && *p->s == (obj ? '}' : ']')) {
		p->s++;
		return j;
	}
	for (;;) {
		char *key = NULL;
		size_t kl;
		ws(p);
		if (obj) {
			if (p->s >= p->end || *p->s != '"' ||
			    !(key = string(p, &kl))) {
				p->err = "expected key";
				break;
			}
			ws(p);
			if (p->s >= p->end || *p->s++ != ':') {
				free(key);
				p->err = "expected ':'";
				break;
			}
		}
		struct json *v = value(p, depth + 1);
		if (!v) {
			free(key);
			break;
		}
		v->key = key;
		*tail = v;
		tail = &v->next;
		ws(p);
		if (p->s < p->end && *p->s == ',') {
			p->s++;
			continue;
		}
		if (p->s < p->end && *p->s == (obj ? '}' : ']')) {
			p->s++;
			return j;
		}
		p->err = "expected ',' or end";
		break;
	}
	json_free(j);
	return NULL;
}

static struct json *value(struct p *p, int depth)
{
	ws(p);
	if (p->s >= p->end || depth > 64) {
		p->err = "unexpected end";
		return NULL;
	}
	char c = *p->s;
	if (c == '{' || c == '[')
		return container(p, depth, c == '{');
	if (c == '"') {
		struct json *j = node(J_STR);
		if (j && !(j->str = string(p, &j->len))) {
			free(j);
			return NULL;
		}
		return j;
	}
	if (!strncmp(p->s, "true", 4) || !strncmp(p->s, "false", 5)) {
		struct json *j = node(J_BOOL);
		j->boolean = c == 't';
		p->s += c == 't' ? 4 : 5;
		return j;
	}
	if (!strncmp(p->s, "null", 4)) {
		p->s += 4;
		return node(J_NULL);
	}
	char *e;
	double d = strtod(p->s, &e);
	if (e == p->s) {
		p->err = "unexpected character";
		return NULL;
	}
	p->s = e;
	struct json *j = node(J_NUM);
	if (j)
		j->num = d;
	return j;
}

struct json *json_parse(const char *text, size_t len, const char **err)
{
	struct p p = {text, text + len, NULL};
	struct json *j = value(&p, 0);
	if (j) {
		ws(&p);
		if (p.s != p.end) {
			p.err = "trailing characters";
			json_free(j);
			j = NULL;
		}
	}
	*err = p.err;
	return j;
}

void json_free(struct json *j)
{
	while (j) {
		struct json *n = j->next;
		json_free(j->child);
		free(j->str);
		free(j->key);
		free(j);
		j = n;
	}
}

struct json *json_get(const struct json *obj, const char *key)
{
	if (!obj || obj->type != J_OBJ)
		return NULL;
	for (struct json *m = obj->child; m; m = m->next)
		if (m->key && !strcmp(m->key, key))
			return m;
	return NULL;
}

const char *json_str(const struct json *obj, const char *key)
{
	struct json *m = json_get(obj, key);
	return m && m->type == J_STR ? m->str : NULL;
}
