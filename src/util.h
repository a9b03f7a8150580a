// SPDX-License-Identifier: BSD-3-Clause
/* Small helpers every module uses: allocation that never returns NULL, warnings to stderr. */
#ifndef PROCAP_UTIL_H
#define PROCAP_UTIL_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#define PROCAP_VERSION "0.1.0"

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t sz);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* A large table of zeroes whose pages are mapped when first touched, for tables most of whose
 * slots stay unused: no clearing and no page fault up front (calloc may clear a recycled heap
 * block; a fault costs about 12 us on a paravirtualised guest). zpages_clear zeroes it the
 * same way, zpages_free releases it; len is the size it was made with. */
void *zpages_new(size_t len);
void zpages_clear(void *p, size_t len);
void zpages_free(void *p, size_t len);
/* Maps the pages of [p, p + len) now, in one call, for a buffer that will be written through:
 * one fault a page on first use costs far more on a paravirtualised guest. Best effort. */
void prefault(void *p, size_t len);

/* Copies the string src into dst (size len), cut to fit, always terminated when len > 0: what
 * snprintf(dst, len, "%s", src) does, without parsing a format on per-packet paths. */
void str_copy(char *dst, size_t len, const char *src);

#define U64_DEC_MAX	20	/* digits of UINT64_MAX */

/* v in decimal at the end of buf (U64_DEC_MAX bytes, not terminated): returns the first digit;
 * there are buf + U64_DEC_MAX - it of them. Per-packet text that snprintf made slow. */
char *u64_dec(uint64_t v, char *buf);

/* readlink(2) of path into buf (size len > 0), always terminated, a longer target cut to fit.
 * Returns the length in buf, or -errno (buf is then ""). */
int read_link(const char *path, char *buf, size_t len);

/* Messages go to stderr as one line, prefixed "procap: " and naming the culprit. */
void pr_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern int verbose_level;
void pr_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Set by the SIGINT/SIGTERM/SIGHUP handler (stop) and SIGUSR1 (print counters); installed by
 * main() before any capture starts, polled by the replay and live loops. */
extern volatile sig_atomic_t stop_requested;
extern volatile sig_atomic_t stats_requested;

#endif
