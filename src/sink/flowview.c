// SPDX-License-Identifier: BSD-3-Clause
/* --flows / --top glue (see flowview.h): owns the flow table, the per-process totals, the
 * histograms and the top view, and runs expiry on the packets' own clock, so a replayed file
 * ends its flows as the live capture would have. */
#include <inttypes.h>
#include <stdlib.h>

#include "findings.h"
#include "flows.h"
#include "flows_out.h"
#include "flowview.h"
#include "hist.h"
#include "proctot.h"
#include "top.h"
#include "util.h"

#define NS_PER_SEC	UINT64_C(1000000000)
#define EXPIRE_EVERY_NS	NS_PER_SEC	/* expiry runs at most this often */
#define LINGER_NS	(2 * NS_PER_SEC)
#define PROC_TOTALS_MAX	4096
#define TCP_IDLE_SECS	300	/* a TCP connection without FIN/RST: ended after this idle */

struct flowview {
	FILE *out;
	bool json, records;
	uint32_t max_flows;
	struct flow_table *ft;
	struct proc_totals *pt;
	struct log2_hist tcp_usecs, tcp_bytes;
	uint64_t ended;
	bool header_done;
	uint64_t next_expire_ns;
	struct top *top;
	uint64_t top_every_ns, next_top_ns;
};

static void on_flow_end(void *ctx, struct flow *f)
{
	struct flowview *v = ctx;

	v->ended++;
	if (f->proto == 6) {
		hist_add(&v->tcp_usecs, (f->last_ns - f->first_ns) / 1000);
		hist_add(&v->tcp_bytes, f->bytes[0] + f->bytes[1]);
	}
	proc_totals_flow(v->pt, f->owner.pid, f->owner.valid ? f->owner.comm : NULL);
	if (!v->records)
		return;
	if (v->json) {
		flow_json(v->out, f);
		return;
	}
	if (!v->header_done) {
		flow_text_header(v->out);
		v->header_done = true;
	}
	flow_text(v->out, f);
}

struct flowview *flowview_new(const struct options *o, FILE *out)
{
	struct flowview *v = xcalloc(1, sizeof(*v));
	struct flow_cfg cfg = {
		.max_flows = o->max_flows,
		.idle_ns = (uint64_t)o->flow_timeout * NS_PER_SEC,
		.tcp_idle_ns = (uint64_t)(o->flow_timeout > TCP_IDLE_SECS ? o->flow_timeout :
					  TCP_IDLE_SECS) * NS_PER_SEC,
		.linger_ns = LINGER_NS,
	};

	v->out = out;
	v->json = o->json;
	v->records = o->flows;
	v->max_flows = o->max_flows;
	v->ft = flows_new(&cfg, on_flow_end, v);
	v->pt = proc_totals_new(PROC_TOTALS_MAX);
	if (o->top_secs) {
		v->top = top_new(out);
		v->top_every_ns = (uint64_t)o->top_secs * NS_PER_SEC;
	}
	return v;
}

/* The ClientHello among the results, and the name of the dissector that found it. */
static const struct tls_info *client_hello(const struct dissect_result *res, int nres,
					   const char **by)
{
	for (int i = 0; i < nres; i++) {
		const struct tls_info *t = findings_client_hello(&res[i]);
		if (t && findings_reportable(&res[i])) {
			*by = res[i].by->name;
			return t;
		}
	}
	return NULL;
}

void flowview_tick(struct flowview *v, uint64_t now_ns)
{
	if (now_ns >= v->next_expire_ns) {
		flows_expire(v->ft, now_ns);
		v->next_expire_ns = now_ns + EXPIRE_EVERY_NS;
	}
	if (v->top && now_ns >= v->next_top_ns) {
		if (v->next_top_ns)
			top_draw(v->top, v->ft, v->pt, now_ns, v->ended, flows_evicted(v->ft));
		else
			top_start(v->top, now_ns);	/* the first tick starts the clock */
		v->next_top_ns = now_ns + v->top_every_ns;
	}
}

void flowview_packet(struct flowview *v, const struct packet *p, const struct pkt_meta *m,
		     const struct dissect_result *res, int nres)
{
	proc_totals_packet(v->pt, p);
	if (m->ip_ver) {
		const char *by = NULL;
		const struct tls_info *hello = client_hello(res, nres, &by);
		flows_packet(v->ft, p, m, hello, by);
	}
	if (p->ts_ns >= v->next_expire_ns || (v->top && p->ts_ns >= v->next_top_ns))
		flowview_tick(v, p->ts_ns);
}

void flowview_close(struct flowview *v)
{
	if (!v)
		return;
	uint64_t evicted = flows_evicted(v->ft);	/* ending the rest evicts nothing */
	flows_free(v->ft, FLOW_EXIT);
	if (v->json) {
		if (v->tcp_usecs.count) {
			hist_json(v->out, &v->tcp_usecs, "tcp_duration", "usecs");
			hist_json(v->out, &v->tcp_bytes, "tcp_bytes", "bytes");
		}
		proc_totals_print(v->pt, v->out, true);
		fprintf(v->out, "{\"type\":\"flows\",\"flows\":%" PRIu64 ",\"evicted\":%" PRIu64
			",\"max_flows\":%u}\n", v->ended, evicted, v->max_flows);
	} else {
		if (v->tcp_usecs.count) {
			fprintf(v->out, "\nTCP connection duration (%" PRIu64 " connections)\n",
				v->tcp_usecs.count);
			hist_print(v->out, &v->tcp_usecs, "usecs");
			fprintf(v->out, "\nTCP connection bytes (both directions)\n");
			hist_print(v->out, &v->tcp_bytes, "bytes");
		}
		fputc('\n', v->out);
		proc_totals_print(v->pt, v->out, false);
		fprintf(v->out, "\n%" PRIu64 " flows, %" PRIu64 " evicted from the full flow table "
			"(--max-flows %u)\n", v->ended, evicted, v->max_flows);
	}
	top_free(v->top);
	proc_totals_free(v->pt);
	free(v);
}
