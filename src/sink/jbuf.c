// SPDX-License-Identifier: BSD-3-Clause
/* JSON object builder for one output line (see jbuf.h). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "jbuf.h"

size_t json_str(char *buf, size_t len, size_t cap, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	if (len + 2 >= cap)
		return len;
	buf[len++] = '"';
	for (; *s && len + 8 < cap; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\') {
			buf[len++] = '\\';
			buf[len++] = (char)ch;
		} else if (ch < 0x20 || ch >= 0x7f) {
			/* dissectors already escape non-printables; this keeps the line valid JSON
			 * even if a raw byte slips through (e.g. from a pcapng comment) */
			len += (size_t)snprintf(buf + len, cap - len, "\\u00%c%c", hex[ch >> 4],
						hex[ch & 15]);
		} else {
			buf[len++] = (char)ch;
		}
	}
	buf[len++] = '"';
	buf[len] = 0;
	return len;
}

void jraw(struct jbuf *b, const char *fmt, ...)
{
	va_list ap;
	if (b->n >= sizeof(b->s))
		return;
	va_start(ap, fmt);
	int w = vsnprintf(b->s + b->n, sizeof(b->s) - b->n, fmt, ap);
	va_end(ap);
	if (w > 0)
		b->n = b->n + (size_t)w < sizeof(b->s) ? b->n + (size_t)w : sizeof(b->s) - 1;
}

void jkey(struct jbuf *b, const char *key)
{
	jraw(b, "%s\"%s\":", b->first ? "" : ",", key);
	b->first = false;
}

void jstr(struct jbuf *b, const char *key, const char *val)
{
	jkey(b, key);
	b->n = json_str(b->s, b->n, sizeof(b->s), val);
}

void jnum(struct jbuf *b, const char *key, uint64_t v)
{
	jkey(b, key);
	jraw(b, "%" PRIu64, v);
}

void jbool(struct jbuf *b, const char *key, bool v)
{
	jkey(b, key);
	jraw(b, "%s", v ? "true" : "false");
}

void jopen(struct jbuf *b, const char *key)
{
	jkey(b, key);
	jraw(b, "{");
	b->first = true;
}

void jclose(struct jbuf *b)
{
	jraw(b, "}");
	b->first = false;
}

