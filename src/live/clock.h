// SPDX-License-Identifier: BSD-3-Clause
/* Kernel timestamps (bpf_ktime_get_ns: CLOCK_MONOTONIC) to wall-clock nanoseconds. */
#ifndef PROCAP_CLOCK_H
#define PROCAP_CLOCK_H

#include <stdint.h>

struct clock_map {
	int64_t offset_ns;	/* CLOCK_REALTIME - CLOCK_MONOTONIC */
	uint64_t error_ns;	/* width of the best sampling window */
	uint64_t sampled_mono;	/* CLOCK_MONOTONIC of the last calibration */
};

/* Calibrate: read REALTIME, MONOTONIC, REALTIME several times and keep the pair whose
 * REALTIME reads are closest together; the offset is then exact to within error_ns
 * (typically well under a microsecond), not time(NULL)'s one second. Returns 0 or -errno. */
int clock_calibrate(struct clock_map *c);

/* Recalibrate if the last calibration is older than max_age_ns (follows NTP steps). */
void clock_refresh(struct clock_map *c, uint64_t max_age_ns);

uint64_t clock_to_realtime(const struct clock_map *c, uint64_t mono_ns);

#endif
