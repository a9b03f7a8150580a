// SPDX-License-Identifier: BSD-3-Clause
/* A bounded, allocation-free JSON reader (RFC 8259) for container runtime state files: walk an
 * object's members, step into a value by a path of keys, read strings. Nothing is built: the
 * cursor moves over the text, so a malformed or truncated file only ends the walk early. */
#ifndef PROCAP_JSONREAD_H
#define PROCAP_JSONREAD_H

#include <stdbool.h>
#include <stddef.h>

struct jcur {
	const char *p, *end;
};

void jc_init(struct jcur *c, const char *s, size_t n);

/* Skips one value (nesting up to 64 levels). False if the text is not JSON there. */
bool jc_skip(struct jcur *c);

/* Steps over the '{' or '[' that opens the value at c. False if there is none. */
bool jc_enter(struct jcur *c, char open);

/* The next member of an object entered with jc_enter(c, '{'): 1 with its key in key (cut to
 * keylen) and c at its value, which the caller reads or jc_skip()s; 0 at the closing '}';
 * -1 on malformed text. For an array entered with '[': key may be NULL, 1 with c at the next
 * element, 0 at ']'. */
int jc_next(struct jcur *c, char *key, size_t keylen);

/* Reads the string at c into out (always terminated; cut to outlen; \uXXXX outside ASCII and
 * control characters become '?'). False if the value is not a string. */
bool jc_str(struct jcur *c, char *out, size_t outlen);

/* From the object at c, steps into the value at path (NULL-terminated keys, first match of
 * each). False if a key is missing; c is then somewhere inside the object. */
bool jc_find(struct jcur *c, const char *const *path);

/* The string at path below the object that starts at s[0..n), "" and false if absent. */
bool json_get_str(const char *s, size_t n, const char *const *path, char *out, size_t outlen);

#endif
