// SPDX-License-Identifier: BSD-3-Clause
/* Allocation wrappers and stderr logging. Out of memory is the one error procap does not
 * recover from: it prints and exits 1, after the atexit handlers have flushed open files. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util.h"

int verbose_level;
volatile sig_atomic_t stop_requested;
volatile sig_atomic_t stats_requested;

static void oom(size_t n)
{
	fprintf(stderr, "procap: out of memory allocating %zu bytes\n", n);
	exit(1);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);
	if (!p)
		oom(n * sz);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return q;
}

void *zpages_new(size_t len)
{
	void *p = mmap(NULL, len ? len : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	if (p == MAP_FAILED)
		oom(len);
	return p;
}

void zpages_clear(void *p, size_t len)
{
	/* a private anonymous mapping reads as zeroes again after MADV_DONTNEED */
	if (madvise(p, len, MADV_DONTNEED))
		memset(p, 0, len);
}

void zpages_free(void *p, size_t len)
{
	if (p)
		munmap(p, len ? len : 1);
}

void prefault(void *p, size_t len)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE), start = (uintptr_t)p & ~(page - 1);

	/* the first page may hold other data of the heap: populating it only maps it */
	madvise((void *)start, (uintptr_t)p + len - start, MADV_POPULATE_WRITE);
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		oom(strlen(s) + 1);
	return p;
}

void str_copy(char *dst, size_t len, const char *src)
{
	if (!len)
		return;
	size_t n = strnlen(src, len - 1);
	memcpy(dst, src, n);
	dst[n] = 0;
}

char *u64_dec(uint64_t v, char *buf)
{
	size_t i = U64_DEC_MAX;	/* an index, not buf's end pointer: cppcheck's ctu check
				 * takes the one-past-the-end pointer for an overflow */

	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return buf + i;
}

int read_link(const char *path, char *buf, size_t len)
{
	ssize_t n = readlink(path, buf, len - 1);

	if (n < 0) {
		buf[0] = 0;
		return -errno;
	}
	buf[n] = 0;
	return (int)n;
}

void pr_warn(const char *fmt, ...)
{
	va_list ap;
	fputs("procap: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

void pr_debug(const char *fmt, ...)
{
	va_list ap;
	if (verbose_level < 2)
		return;
	fputs("procap: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}
