// SPDX-License-Identifier: BSD-3-Clause
/* --events: a line (or JSON object) per process exec and exit, interleaved with the packet
 * lines or flow records, and at exit the number of execs per user. */
#ifndef PROCAP_EVENTS_OUT_H
#define PROCAP_EVENTS_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum proc_event_kind { PROC_EV_EXEC = 1, PROC_EV_EXIT = 2 };

/* A process event as the sinks see it (live: from the kernel's exec/exit records). */
struct proc_event {
	uint8_t kind;			/* enum proc_event_kind */
	uint64_t ts_ns;			/* realtime */
	uint32_t pid, ppid, uid;
	uint32_t status;		/* EXIT: wait status (exit code << 8 | signal) */
	uint64_t lifetime_ns;		/* EXIT: since the process was created */
	const char *comm, *exe, *args;	/* "" when unknown */
};

struct events_out;

struct events_out *events_out_new(FILE *out, bool json);
void events_out_event(struct events_out *eo, const struct proc_event *ev);
/* Execs per user (text table or {"type":"execs",...} objects), then frees eo. */
void events_out_close(struct events_out *eo);

#endif
