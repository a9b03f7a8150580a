// SPDX-License-Identifier: BSD-3-Clause
/* JSON object builder for one output line: --json packets and the findings renderers
 * (findings.c) write through it. A line longer than JSON_LINE_MAX is cut, never overrun. */
#ifndef PROCAP_JBUF_H
#define PROCAP_JBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_LINE_MAX 8192

struct jbuf {
	char s[JSON_LINE_MAX];
	size_t n;
	bool first;
};

/* Appends s as a JSON string literal (quotes included) to buf; returns the new length. */
size_t json_str(char *buf, size_t len, size_t cap, const char *s);

void jraw(struct jbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void jkey(struct jbuf *b, const char *key);	/* ,"key": */
void jstr(struct jbuf *b, const char *key, const char *val);
void jnum(struct jbuf *b, const char *key, uint64_t v);
void jbool(struct jbuf *b, const char *key, bool v);
void jopen(struct jbuf *b, const char *key);	/* "key":{ */
void jclose(struct jbuf *b);			/* } */

#endif
