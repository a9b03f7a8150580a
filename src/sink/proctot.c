// SPDX-License-Identifier: BSD-3-Clause
/* Per-process totals (see proctot.h): entries in an array, found through an open-addressing
 * index on (pid, comm); a live stream of one process's packets skips even that, through the
 * owner's fill serial. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "jbuf.h"
#include "proctot.h"
#include "termsafe.h"
#include "util.h"

struct proc_totals {
	struct proc_total *ent;		/* max + 1: the last one is "[other]" */
	uint32_t n, max;
	uint32_t *index;		/* entry number + 1, 0 = free; 2 * max, a power of two */
	uint32_t mask;
	struct proc_total **sorted;
	uint64_t last_serial;		/* proc_meta.serial of the last packet's owner */
	struct proc_total *last;
};

struct proc_totals *proc_totals_new(uint32_t max)
{
	struct proc_totals *t = xcalloc(1, sizeof(*t));
	uint32_t sz = 16;

	while (sz < 2 * max)
		sz <<= 1;
	t->max = max;
	t->ent = xcalloc(max + 1, sizeof(*t->ent));
	snprintf(t->ent[max].comm, sizeof(t->ent[max].comm), "[other]");
	t->index = xcalloc(sz, sizeof(*t->index));
	t->mask = sz - 1;
	t->sorted = xcalloc(max + 1, sizeof(*t->sorted));
	return t;
}

void proc_totals_free(struct proc_totals *t)
{
	if (!t)
		return;
	free(t->ent);
	free(t->index);
	free(t->sorted);
	free(t);
}

static struct proc_total *entry(struct proc_totals *t, uint32_t pid, const char *comm)
{
	uint32_t h = pid * 0x9e3779b1u;

	for (const char *c = comm; *c; c++)
		h = (h ^ (uint8_t)*c) * 16777619u;
	for (uint32_t i = h & t->mask;; i = (i + 1) & t->mask) {
		if (!t->index[i]) {
			if (t->n == t->max)
				return &t->ent[t->max];
			struct proc_total *e = &t->ent[t->n];
			e->pid = pid;
			snprintf(e->comm, sizeof(e->comm), "%s", comm);
			t->index[i] = ++t->n;
			return e;
		}
		struct proc_total *e = &t->ent[t->index[i] - 1];
		if (e->pid == pid && !strcmp(e->comm, comm))
			return e;
	}
}

void proc_totals_packet(struct proc_totals *t, const struct packet *p)
{
	struct proc_total *e;

	if (p->proc.valid && p->proc.serial && p->proc.serial == t->last_serial)
		e = t->last;
	else {
		e = p->proc.valid ? entry(t, p->proc.pid, p->proc.comm) : entry(t, 0, "-");
		t->last_serial = p->proc.valid ? p->proc.serial : 0;
		t->last = e;
	}
	e->packets++;
	e->bytes += p->wire_len;
	if (p->dir == PKT_DIR_OUT) {
		e->tx_packets++;
		e->tx_bytes += p->wire_len;
	} else if (p->dir == PKT_DIR_IN) {
		e->rx_packets++;
		e->rx_bytes += p->wire_len;
	}
}

void proc_totals_flow(struct proc_totals *t, uint32_t pid, const char *comm)
{
	entry(t, comm ? pid : 0, comm ? comm : "-")->flows++;
}

static int by_bytes(const void *a, const void *b)
{
	const struct proc_total *x = *(struct proc_total *const *)a;
	const struct proc_total *y = *(struct proc_total *const *)b;

	if (x->bytes != y->bytes)
		return x->bytes < y->bytes ? 1 : -1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

struct proc_total **proc_totals_sorted(struct proc_totals *t, uint32_t *n)
{
	uint32_t k = 0;

	for (uint32_t i = 0; i < t->n; i++)
		t->sorted[k++] = &t->ent[i];
	if (t->ent[t->max].packets || t->ent[t->max].flows)
		t->sorted[k++] = &t->ent[t->max];
	qsort(t->sorted, k, sizeof(*t->sorted), by_bytes);
	*n = k;
	return t->sorted;
}

void proc_totals_print(struct proc_totals *t, FILE *out, bool json)
{
	uint32_t n;
	struct proc_total **s = proc_totals_sorted(t, &n);

	if (!json && n)
		fprintf(out, "%-7s %-15s %6s %9s %12s %9s %12s %9s %12s\n", "PID", "COMM", "CONNS",
			"PACKETS", "BYTES", "TX_PKTS", "TX_BYTES", "RX_PKTS", "RX_BYTES");
	for (uint32_t i = 0; i < n; i++) {
		const struct proc_total *e = s[i];
		if (json) {
			char comm[64];
			json_str(comm, 0, sizeof(comm), e->comm);
			fprintf(out, "{\"type\":\"process\",\"pid\":%u,\"comm\":%s,\"connections\":%"
				PRIu64 ",\"packets\":%" PRIu64 ",\"bytes\":%" PRIu64 ",\"tx_packets\":%"
				PRIu64 ",\"tx_bytes\":%" PRIu64 ",\"rx_packets\":%" PRIu64
				",\"rx_bytes\":%" PRIu64 "}\n", e->pid, comm, e->flows, e->packets,
				e->bytes, e->tx_packets, e->tx_bytes, e->rx_packets, e->rx_bytes);
			continue;
		}
		char pid[12];
		snprintf(pid, sizeof(pid), e->pid ? "%u" : "-", e->pid);
		fprintf(out, "%-7s %-15s %6" PRIu64 " %9" PRIu64 " %12" PRIu64 " %9" PRIu64 " %12"
			PRIu64 " %9" PRIu64 " %12" PRIu64 "\n", pid, TERM_SAFE(e->comm, sizeof(e->comm)), e->flows,
			e->packets,
			e->bytes, e->tx_packets, e->tx_bytes, e->rx_packets, e->rx_bytes);
	}
}
