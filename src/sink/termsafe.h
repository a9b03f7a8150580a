// SPDX-License-Identifier: BSD-3-Clause
/* Strings from the kernel or from a file (process names any local user sets with
 * prctl(PR_SET_NAME), interface names, paths) on their way to a terminal: escape sequences
 * must not reach the operator's terminal. */
#ifndef PROCAP_TERMSAFE_H
#define PROCAP_TERMSAFE_H

#include <stddef.h>

/* Room for n bytes escaped */
#define TERM_SAFE_LEN(n)	(4 * (n) + 1)

/* s into buf (len bytes, NUL-terminated, cut at a whole escape), every byte outside printable
 * ASCII (and the backslash, so an escape cannot be faked) as \xNN. Returns buf. */
const char *term_safe(char *buf, size_t len, const char *s);

/* term_safe() into a buffer that lives until the end of the enclosing block (a compound
 * literal): fprintf(out, "%s", TERM_SAFE(comm, 16)). n: the longest input kept. */
#define TERM_SAFE(s, n)	term_safe((char[TERM_SAFE_LEN(n)]){ 0 }, TERM_SAFE_LEN(n), (s))

#endif
