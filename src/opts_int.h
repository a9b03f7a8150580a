// SPDX-License-Identifier: BSD-3-Clause
/* Inside the option parser: the row type of the option tables (procap's own in opts.c, tcpdump's
 * compatibility rows in opts_tcpdump.c). */
#ifndef PROCAP_OPTS_INT_H
#define PROCAP_OPTS_INT_H

#include <stddef.h>
#include "opts.h"

struct opt_row {
	const char *lng;	/* long name or NULL */
	int key;		/* short letter or OPT_* */
	int has_arg;		/* 0 none, 1 required, 2 optional */
	const char *arg;	/* argument name for --help */
	const char *help;	/* NULL: a long alias of the short option key (shown on its line) */
};

/* How a tcpdump option is taken (the three sections of --help and of the man page). */
enum compat_kind { COMPAT_WORKS, COMPAT_NOOP, COMPAT_REFUSED };

struct compat_row {
	struct opt_row row;
	enum compat_kind kind;
};

#define N_TCPDUMP_ROWS 47
extern const struct compat_row tcpdump_rows[N_TCPDUMP_ROWS];

/* Handles an option of tcpdump_rows: 0 taken, 1 after a one-line error, -1 when something was
 * printed and procap should exit 0 (-h), -2 when key is not one of them. */
int opts_tcpdump(struct options *o, int key, const char *arg);

/* The long alias of short option key ("interface" for 'i'), NULL if none. */
const char *opts_long_alias(int key);

#endif
