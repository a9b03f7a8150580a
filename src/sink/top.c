// SPDX-License-Identifier: BSD-3-Clause
/* The top view (see top.h). Rates are the growth of each total since the previous refresh
 * divided by the time between the two; each flow and process remembers its totals at the
 * previous refresh (top_bytes, top_packets). */
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "flows_out.h"
#include "termsafe.h"
#include "top.h"
#include "util.h"

#define PIPE_FLOW_ROWS	20
#define PIPE_PROC_ROWS	10
#define NS		1000000000.0

struct top {
	FILE *out;
	bool tty;
	uint64_t last_ns;		/* previous refresh, or the start */
	bool drawn;			/* a block was printed already (pipes: blank line first) */
	struct flow **flows;		/* scratch for sorting */
	size_t cap;
	size_t n;
};

struct top *top_new(FILE *out)
{
	struct top *tp = xcalloc(1, sizeof(*tp));

	tp->out = out;
	tp->tty = isatty(fileno(out));
	return tp;
}

void top_free(struct top *tp)
{
	if (!tp)
		return;
	free(tp->flows);
	free(tp);
}

static void collect(void *ctx, struct flow *f)
{
	struct top *tp = ctx;

	if (tp->n == tp->cap) {
		tp->cap = tp->cap ? tp->cap * 2 : 256;
		tp->flows = xrealloc(tp->flows, tp->cap * sizeof(*tp->flows));
	}
	tp->flows[tp->n++] = f;
}

static uint64_t flow_bytes(const struct flow *f)
{
	return f->bytes[0] + f->bytes[1];
}

/* Busiest in the last interval first, then the largest. */
static int flow_order(const void *a, const void *b)
{
	const struct flow *x = *(struct flow *const *)a, *y = *(struct flow *const *)b;
	uint64_t dx = flow_bytes(x) - x->top_bytes, dy = flow_bytes(y) - y->top_bytes;

	if (dx != dy)
		return dx < dy ? 1 : -1;
	return flow_bytes(x) < flow_bytes(y) ? 1 : flow_bytes(x) > flow_bytes(y) ? -1 : 0;
}

static int proc_order(const void *a, const void *b)
{
	const struct proc_total *x = *(struct proc_total *const *)a;
	const struct proc_total *y = *(struct proc_total *const *)b;
	uint64_t dx = x->bytes - x->top_bytes, dy = y->bytes - y->top_bytes;

	if (dx != dy)
		return dx < dy ? 1 : -1;
	return x->bytes < y->bytes ? 1 : x->bytes > y->bytes ? -1 : 0;
}

/* Rows for flows and processes: what fits the terminal, fixed numbers into a pipe. */
static void rows(const struct top *tp, size_t *flow_rows, size_t *proc_rows)
{
	struct winsize ws;

	*flow_rows = PIPE_FLOW_ROWS;
	*proc_rows = PIPE_PROC_ROWS;
	if (!tp->tty || ioctl(fileno(tp->out), TIOCGWINSZ, &ws) || ws.ws_row < 12)
		return;
	/* header, two table headers, the blank line between, the cursor line */
	size_t free_rows = ws.ws_row - 5;
	*proc_rows = free_rows / 3;
	*flow_rows = free_rows - *proc_rows;
}

static void draw_flows(struct top *tp, size_t max, double secs)
{
	FILE *o = tp->out;

	fprintf(o, "%-7s %-15s %-5s %-25s %-25s %9s %12s %9s %12s %9s\n", "PID", "COMM", "PROTO",
		"SRC", "DST", "PACKETS", "BYTES", "PKT/s", "BYTES/s", "STATE");
	for (size_t i = 0; i < tp->n && i < max; i++) {
		struct flow *f = tp->flows[i];
		char pid[12], src[72], dst[72], pn[8];
		uint64_t pk = f->packets[0] + f->packets[1], by = flow_bytes(f);

		snprintf(pid, sizeof(pid), f->owner.valid ? "%u" : "-", f->owner.pid);
		flow_endpoint(src, sizeof(src), f->ver, f->src, f->sport, f->proto);
		flow_endpoint(dst, sizeof(dst), f->ver, f->dst, f->dport, f->proto);
		fprintf(o, "%-7s %-15s %-5s %-25s %-25s %9" PRIu64 " %12" PRIu64 " %9.1f %12.0f %9s\n",
			pid, f->owner.valid ? TERM_SAFE(f->owner.comm, sizeof(f->owner.comm)) : "-",
			flow_proto_name(f->proto, pn, sizeof(pn)), src, dst, pk, by,
			(double)(pk - f->top_packets) / secs, (double)(by - f->top_bytes) / secs,
			f->end ? flow_end_name((enum flow_end)f->end) : "open");
	}
	for (size_t i = 0; i < tp->n; i++) {
		tp->flows[i]->top_bytes = flow_bytes(tp->flows[i]);
		tp->flows[i]->top_packets = tp->flows[i]->packets[0] + tp->flows[i]->packets[1];
	}
}

static void draw_procs(struct top *tp, struct proc_totals *pt, size_t max, double secs)
{
	uint32_t n;
	struct proc_total **s = proc_totals_sorted(pt, &n);

	qsort(s, n, sizeof(*s), proc_order);
	fprintf(tp->out, "%-7s %-15s %9s %12s %9s %12s %9s %12s\n", "PID", "COMM", "PACKETS",
		"BYTES", "PKT/s", "BYTES/s", "TX_PKTS", "RX_PKTS");
	for (uint32_t i = 0; i < n && i < max; i++) {
		const struct proc_total *e = s[i];
		char pid[12];

		snprintf(pid, sizeof(pid), e->pid ? "%u" : "-", e->pid);
		fprintf(tp->out, "%-7s %-15s %9" PRIu64 " %12" PRIu64 " %9.1f %12.0f %9" PRIu64
			" %12" PRIu64 "\n", pid, TERM_SAFE(e->comm, sizeof(e->comm)), e->packets, e->bytes,
			(double)(e->packets - e->top_packets) / secs,
			(double)(e->bytes - e->top_bytes) / secs, e->tx_packets, e->rx_packets);
	}
	for (uint32_t i = 0; i < n; i++) {
		s[i]->top_bytes = s[i]->bytes;
		s[i]->top_packets = s[i]->packets;
	}
}

void top_start(struct top *tp, uint64_t now_ns)
{
	tp->last_ns = now_ns;
}

void top_draw(struct top *tp, struct flow_table *ft, struct proc_totals *pt, uint64_t now_ns,
	      uint64_t ended, uint64_t evicted)
{
	size_t flow_rows, proc_rows;
	char t[32];
	double secs = tp->last_ns && now_ns > tp->last_ns ? (double)(now_ns - tp->last_ns) / NS : 1;

	tp->n = 0;
	flows_foreach(ft, collect, tp);
	qsort(tp->flows, tp->n, sizeof(*tp->flows), flow_order);
	rows(tp, &flow_rows, &proc_rows);
	time_of_day(now_ns, t, sizeof(t));
	if (tp->tty)
		fputs("\033[H\033[2J", tp->out);
	else if (tp->drawn)
		fputc('\n', tp->out);
	tp->drawn = true;
	fprintf(tp->out, "procap top %.8s  interval %.1fs  flows: %" PRIu64 " open, %" PRIu64
		" ended, %" PRIu64 " evicted\n", t, secs, flows_active(ft), ended, evicted);
	draw_flows(tp, flow_rows, secs);
	fputc('\n', tp->out);
	draw_procs(tp, pt, proc_rows, secs);
	fflush(tp->out);
	tp->last_ns = now_ns;
}
