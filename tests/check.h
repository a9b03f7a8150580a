// SPDX-License-Identifier: BSD-3-Clause
/* Minimal test vocabulary shared by unit and bpf tests. Each check prints one line that
 * tests/run.sh counts: "PASS name", "FAIL name: why" or "SKIP name: why". CHECK returns the
 * condition so a test can stop early: if (!CHECK(fd >= 0, "open")) return; */
#ifndef PROCAP_CHECK_H
#define PROCAP_CHECK_H

#include <stdbool.h>
#include <stdio.h>
#include <stdarg.h>

static int check_failures;

static inline bool check_report(bool ok, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline bool check_report(bool ok, const char *name, const char *fmt, ...)
{
	if (ok) {
		printf("PASS %s\n", name);
	} else {
		va_list ap;
		check_failures++;
		printf("FAIL %s: ", name);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
	fflush(stdout);
	return ok;
}

#define CHECK(cond, name) check_report((cond), (name), "%s (%s:%d)", #cond, __FILE__, __LINE__)
#define CHECKF(cond, name, ...) check_report((cond), (name), __VA_ARGS__)
#define CHECK_STR(got, want, name)                                                          \
	check_report(strcmp((got), (want)) == 0, (name), "got '%s', want '%s'", (got), (want))
#define CHECK_INT(got, want, name)                                                          \
	check_report((long long)(got) == (long long)(want), (name), "got %lld, want %lld",    \
		     (long long)(got), (long long)(want))
#define SKIP(name, why)                                                                     \
	do {                                                                                \
		printf("SKIP %s: %s\n", (name), (why));                                     \
		fflush(stdout);                                                             \
	} while (0)

/* exit status for main(): non-zero iff a check failed */
#define CHECK_EXIT() (check_failures ? 1 : 0)

#endif
