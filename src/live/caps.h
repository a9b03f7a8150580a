// SPDX-License-Identifier: BSD-3-Clause
/* Capabilities live capture needs, checked before anything is loaded so an unprivileged run
 * fails with one line naming what is missing instead of a libbpf error. */
#ifndef PROCAP_CAPS_H
#define PROCAP_CAPS_H

#include <stddef.h>
#include <stdint.h>

/* Bit (1 << CAP_X) set for every capability in the effective set; 0 if it cannot be read. */
uint64_t caps_effective(void);

/* Writes the names of what live capture lacks given EFFECTIVE ("CAP_BPF CAP_NET_ADMIN"...)
 * into buf; returns how many are missing (0: all there). */
int caps_missing_for_live(uint64_t effective, char *buf, size_t len);

/* 0 when the process may capture; else prints one line (what is missing, what to do) and
 * returns -1. Called by main() before live_run(). */
int caps_require_live(void);

#endif
