// SPDX-License-Identifier: BSD-3-Clause
/* Monotonic -> realtime conversion in nanoseconds (see clock.h). */
#include <errno.h>
#include <time.h>

#include "clock.h"

#define CLOCK_SAMPLES	16

static uint64_t ns_of(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * 1000000000ull + (uint64_t)ts->tv_nsec;
}

int clock_calibrate(struct clock_map *c)
{
	uint64_t best = UINT64_MAX;

	for (int i = 0; i < CLOCK_SAMPLES; i++) {
		struct timespec r1, m, r2;

		if (clock_gettime(CLOCK_REALTIME, &r1) || clock_gettime(CLOCK_MONOTONIC, &m) ||
		    clock_gettime(CLOCK_REALTIME, &r2))
			return -errno;
		uint64_t a = ns_of(&r1), b = ns_of(&r2), mono = ns_of(&m);
		if (b < a || b - a >= best)
			continue;	/* a step between the reads, or a wider window */
		best = b - a;
		/* the monotonic read sits between the two realtime reads: use their midpoint */
		c->offset_ns = (int64_t)(a + (b - a) / 2) - (int64_t)mono;
		c->error_ns = best;
		c->sampled_mono = mono;
	}
	return best == UINT64_MAX ? -EAGAIN : 0;
}

void clock_refresh(struct clock_map *c, uint64_t max_age_ns)
{
	struct timespec m;

	if (clock_gettime(CLOCK_MONOTONIC, &m))
		return;
	if (ns_of(&m) - c->sampled_mono >= max_age_ns)
		clock_calibrate(c);
}

uint64_t clock_to_realtime(const struct clock_map *c, uint64_t mono_ns)
{
	return (uint64_t)((int64_t)mono_ns + c->offset_ns);
}
