// SPDX-License-Identifier: BSD-3-Clause
/* Bounded JSON reader (see jsonread.h); grammar of RFC 8259 section 2-7. */
#include <string.h>

#include "jsonread.h"

#define JC_MAX_DEPTH	64

void jc_init(struct jcur *c, const char *s, size_t n)
{
	c->p = s;
	c->end = s + n;
}

static void ws(struct jcur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Reads a string (c at its opening quote) into out when out is not NULL. */
static bool read_str(struct jcur *c, char *out, size_t outlen)
{
	size_t o = 0;

	ws(c);
	if (c->p >= c->end || *c->p != '"')
		return false;
	c->p++;
	while (c->p < c->end && *c->p != '"') {
		unsigned char ch = (unsigned char)*c->p++;

		if (ch == '\\') {
			if (c->p >= c->end)
				return false;
			ch = (unsigned char)*c->p++;
			switch (ch) {
			case 'b': ch = '\b'; break;
			case 'f': ch = '\f'; break;
			case 'n': ch = '\n'; break;
			case 'r': ch = '\r'; break;
			case 't': ch = '\t'; break;
			case 'u': {
				int v = 0;
				for (int i = 0; i < 4; i++) {
					int h = c->p < c->end ? hexval(*c->p++) : -1;
					if (h < 0)
						return false;
					v = v * 16 + h;
				}
				ch = v >= 0x20 && v < 0x7f ? (unsigned char)v : '?';
				break;
			}
			default: break;	/* \" \\ \/ stand for themselves */
			}
		}
		if (ch < 0x20)
			ch = '?';
		if (out && o + 1 < outlen)
			out[o++] = (char)ch;
	}
	if (out && outlen)
		out[o] = 0;
	if (c->p >= c->end)
		return false;
	c->p++;	/* closing quote */
	return true;
}

bool jc_str(struct jcur *c, char *out, size_t outlen)
{
	if (outlen)
		out[0] = 0;
	return read_str(c, out, outlen);
}

bool jc_enter(struct jcur *c, char open)
{
	ws(c);
	if (c->p >= c->end || *c->p != open)
		return false;
	c->p++;
	return true;
}

static bool skip_value(struct jcur *c, int depth);

static int next_member(struct jcur *c, char *key, size_t keylen, bool array)
{
	ws(c);
	if (c->p >= c->end)
		return -1;
	if (*c->p == (array ? ']' : '}')) {
		c->p++;
		return 0;
	}
	if (*c->p == ',') {
		c->p++;
		ws(c);
	}
	if (array)
		return c->p < c->end ? 1 : -1;
	if (!read_str(c, key, keylen))
		return -1;
	ws(c);
	if (c->p >= c->end || *c->p != ':')
		return -1;
	c->p++;
	return 1;
}

int jc_next(struct jcur *c, char *key, size_t keylen)
{
	/* an array's elements have no key: the caller says which it walks by passing one */
	return next_member(c, key, key ? keylen : 0, key == NULL);
}

static bool skip_container(struct jcur *c, int depth, bool array)
{
	char key[1] = "";	/* member names are skipped: no room needed */
	int r;

	c->p++;
	while ((r = next_member(c, array ? NULL : key, array ? 0 : sizeof(key), array)) == 1)
		if (!skip_value(c, depth + 1))
			return false;
	return r == 0;
}

static bool skip_value(struct jcur *c, int depth)
{
	ws(c);
	if (c->p >= c->end || depth > JC_MAX_DEPTH)
		return false;
	switch (*c->p) {
	case '"':
		return read_str(c, NULL, 0);
	case '{':
		return skip_container(c, depth, false);
	case '[':
		return skip_container(c, depth, true);
	default: {
		/* number, true, false, null: up to the next delimiter */
		const char *start = c->p;
		while (c->p < c->end && !strchr(",}] \t\r\n", *c->p))
			c->p++;
		return c->p > start;
	}
	}
}

bool jc_skip(struct jcur *c)
{
	return skip_value(c, 0);
}

bool jc_find(struct jcur *c, const char *const *path)
{
	char key[256];

	for (; *path; path++) {
		int r;

		if (!jc_enter(c, '{'))
			return false;
		while ((r = jc_next(c, key, sizeof(key))) == 1) {
			if (!strcmp(key, *path))
				break;
			if (!jc_skip(c))
				return false;
		}
		if (r != 1)
			return false;
	}
	return true;
}

bool json_get_str(const char *s, size_t n, const char *const *path, char *out, size_t outlen)
{
	struct jcur c;

	jc_init(&c, s, n);
	if (outlen)
		out[0] = 0;
	return jc_find(&c, path) && jc_str(&c, out, outlen);
}
