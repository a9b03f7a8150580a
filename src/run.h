// SPDX-License-Identifier: BSD-3-Clause
/* The two ways procap gets packets. Each returns the process exit code (0 ok, 1 error). */
#ifndef PROCAP_RUN_H
#define PROCAP_RUN_H

#include "opts.h"

int replay_run(const struct options *o);	/* -r FILE: src/replay.c */
int live_run(const struct options *o);		/* eBPF capture: src/live.c */
int live_list_interfaces(void);			/* -D */

#endif
