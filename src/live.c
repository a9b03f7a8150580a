// SPDX-License-Identifier: BSD-3-Clause
/* TEMPORARY placeholder until live capture lands. */
#include <stdio.h>
#include "run.h"
int live_run(const struct options *o)
{
	fprintf(stderr, "procap: live capture not implemented yet\n");
	return 1;
}
int live_list_interfaces(void)
{
	return 1;
}
