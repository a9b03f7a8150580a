// SPDX-License-Identifier: BSD-3-Clause
/* Connection table (see flows.h). A chained hash on the direction-independent 5-tuple finds a
 * packet's flow; each flow also sits on one of three activity lists, oldest first, so expiry
 * and eviction look only at list heads: open TCP connections, TCP connections that ended
 * (FIN/RST) and linger for their last ACKs, and everything else (UDP, ICMP, ...). */
#include <stdlib.h>
#include <string.h>

#include "flows.h"
#include "util.h"

#define PROTO_TCP	6
#define TCP_FIN		0x01
#define TCP_SYN		0x02
#define TCP_RST		0x04
#define TCP_ACK		0x10

enum flow_class { CLS_TCP, CLS_CLOSING, CLS_DGRAM, CLS_N };

struct flow_list {
	struct flow *head, *tail;
};

struct flow_table {
	struct flow_cfg cfg;
	flow_end_fn on_end;
	void *ctx;
	struct flow **buckets;
	uint32_t mask;			/* buckets - 1 */
	struct flow_list lists[CLS_N];
	uint64_t active, evicted;
};

static const char *const end_names[] = {
	[FLOW_OPEN] = "open", [FLOW_FIN] = "fin", [FLOW_RST] = "rst",
	[FLOW_TIMEOUT] = "timeout", [FLOW_EXIT] = "exit", [FLOW_EVICTED] = "evicted",
};

const char *flow_end_name(enum flow_end e)
{
	return e <= FLOW_EVICTED ? end_names[e] : "?";
}

struct flow_table *flows_new(const struct flow_cfg *cfg, flow_end_fn on_end, void *ctx)
{
	struct flow_table *t = xcalloc(1, sizeof(*t));
	uint32_t n = 64;

	t->cfg = *cfg;
	if (!t->cfg.max_flows)
		t->cfg.max_flows = 1;
	while (n < t->cfg.max_flows && n < (1u << 24))
		n <<= 1;
	t->buckets = xcalloc(n, sizeof(*t->buckets));
	t->mask = n - 1;
	t->on_end = on_end;
	t->ctx = ctx;
	return t;
}

static void list_del(struct flow_list *l, struct flow *f)
{
	if (f->prev)
		f->prev->next = f->next;
	else
		l->head = f->next;
	if (f->next)
		f->next->prev = f->prev;
	else
		l->tail = f->prev;
	f->prev = f->next = NULL;
}

static void list_add_tail(struct flow_list *l, struct flow *f)
{
	f->prev = l->tail;
	f->next = NULL;
	if (l->tail)
		l->tail->next = f;
	else
		l->head = f;
	l->tail = f;
}

/* Five 64-bit words of key, multiplied and folded: one pass, no per-byte loop. */
static uint32_t hash_key(const struct flow_key *k)
{
	uint64_t w[5] = { 0 }, h = 0x9e3779b97f4a7c15ull;	/* flowtab_hash() goes byte by byte */

	_Static_assert(sizeof(*k) <= sizeof(w), "flow_key fits five words");
	memcpy(w, k, sizeof(*k));
	for (int i = 0; i < 5; i++)
		h = (h ^ w[i]) * 0xff51afd7ed558ccdull;
	return (uint32_t)(h ^ (h >> 32));
}

static struct flow **bucket(struct flow_table *t, const struct flow_key *k)
{
	return &t->buckets[hash_key(k) & t->mask];
}

/* Unlinks f everywhere, hands it to the callback with its end reason, frees it. */
static void end_flow(struct flow_table *t, struct flow *f, enum flow_end why)
{
	struct flow **pp = bucket(t, &f->key);

	while (*pp != f)
		pp = &(*pp)->hnext;
	*pp = f->hnext;
	list_del(&t->lists[f->cls], f);
	t->active--;
	f->end = (uint8_t)why;
	t->on_end(t->ctx, f);
	free(f->hello);
	free(f->dst_name);
	free(f);
}

/* How a flow ends when time, the table or the capture ends it: a finished connection as it
 * finished (a FIN exchange whose last ACK was not seen still counts as FIN), others as why. */
static enum flow_end end_reason(const struct flow *f, enum flow_end why)
{
	if (f->cls == CLS_CLOSING)
		return (enum flow_end)f->end;
	if (f->proto == PROTO_TCP && f->fins == 3 && why != FLOW_EVICTED)
		return FLOW_FIN;
	return why;
}

/* The table is full: the flow idle longest goes, finished TCP connections first (their only
 * loss is the late ACKs they were waiting for). */
static void evict_one(struct flow_table *t)
{
	struct flow *f = t->lists[CLS_CLOSING].head;

	if (f) {
		end_flow(t, f, end_reason(f, FLOW_EVICTED));
		return;
	}
	struct flow *a = t->lists[CLS_TCP].head, *b = t->lists[CLS_DGRAM].head;
	f = !a ? b : !b ? a : a->last_ns <= b->last_ns ? a : b;
	if (f) {
		t->evicted++;
		end_flow(t, f, FLOW_EVICTED);
	}
}

static struct flow *new_flow(struct flow_table *t, const struct flow_key *k,
			     const struct pkt_meta *m, struct flow **slot)
{
	if (t->active >= t->cfg.max_flows) {
		evict_one(t);
		slot = bucket(t, k);	/* eviction may have emptied this very chain */
	}
	struct flow *f = xcalloc(1, sizeof(*f));
	bool reply_first = m->l4_proto == PROTO_TCP &&
			   (m->tcp_flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK);

	f->key = *k;
	/* a capture that starts with the SYN-ACK still names the connecting side src */
	memcpy(f->src, reply_first ? m->dst : m->src, 16);
	memcpy(f->dst, reply_first ? m->src : m->dst, 16);
	f->sport = reply_first ? m->dport : m->sport;
	f->dport = reply_first ? m->sport : m->dport;
	f->ver = m->ip_ver;
	f->proto = m->l4_proto;
	f->first_ns = m->ts_ns;
	f->cls = m->l4_proto == PROTO_TCP ? CLS_TCP : CLS_DGRAM;
	f->hnext = *slot;
	*slot = f;
	list_add_tail(&t->lists[f->cls], f);
	t->active++;
	return f;
}

/* Sequence bookkeeping of direction d: a segment that carries data (or SYN/FIN) ending at or
 * before what this direction already sent is a retransmission; a keep-alive (one byte, or
 * none, just below the edge) is not, nor is a segment that fills the gap a later segment left
 * (it arrived out of order: tshark's out-of-order, not a retransmission). One gap is tracked,
 * the latest. */
static void tcp_track(struct flow *f, int d, const struct pkt_meta *m)
{
	uint8_t fl = m->tcp_flags;
	uint32_t len = m->payload_len + !!(fl & TCP_SYN) + !!(fl & TCP_FIN);
	uint32_t end = m->tcp_seq + len;

	/* an ACK from d after the other side's FIN acknowledges it (no ack numbers needed:
	 * nothing else is left for it to acknowledge) */
	if ((fl & TCP_ACK) && (f->fins & (1u << !d)))
		f->fin_acked |= (uint8_t)(1u << !d);
	if (fl & TCP_FIN)
		f->fins |= (uint8_t)(1u << d);
	if (!len)
		return;
	if (!f->seq_known[d]) {
		f->seq_known[d] = true;
		f->seq_end[d] = end;
		return;
	}
	if ((int32_t)(end - f->seq_end[d]) > 0) {
		if ((int32_t)(m->tcp_seq - f->seq_end[d]) > 0) {
			f->gap_start[d] = f->seq_end[d];
			f->gap_end[d] = m->tcp_seq;
		}
		f->seq_end[d] = end;
		return;
	}
	if ((int32_t)(m->tcp_seq - f->gap_start[d]) >= 0 &&
	    (int32_t)(f->gap_end[d] - end) >= 0 && f->gap_start[d] != f->gap_end[d]) {
		if (m->tcp_seq == f->gap_start[d])	/* the gap fills from its start */
			f->gap_start[d] = end;
		else if (end == f->gap_end[d])
			f->gap_end[d] = m->tcp_seq;
		return;
	}
	bool keepalive = !(fl & (TCP_SYN | TCP_FIN)) && m->payload_len <= 1 &&
			 m->tcp_seq + 1 == f->seq_end[d];
	if (!keepalive)
		f->retrans++;
}

static void set_owner(struct flow *f, const struct proc_meta *pm, bool egress)
{
	f->owner.valid = true;
	f->owner.from_egress = egress;
	f->owner.pid = pm->pid;
	f->owner.uid = pm->uid;
	memcpy(f->owner.comm, pm->comm, sizeof(f->owner.comm));
	memcpy(f->owner.container, pm->container, sizeof(f->owner.container));
}

static void set_hello(struct flow *f, const struct tls_info *h, const char *by)
{
	f->hello = xcalloc(1, sizeof(*f->hello));
	f->hello->by = by;
	if (h->has_sni)
		memcpy(f->hello->sni, h->sni, sizeof(f->hello->sni));
	memcpy(f->hello->alpn, h->alpn, sizeof(f->hello->alpn));
	memcpy(f->hello->ja4, h->ja4, sizeof(f->hello->ja4));
}

struct flow *flows_packet(struct flow_table *t, const struct packet *p, const struct pkt_meta *m,
			  const struct tls_info *hello, const char *by)
{
	struct flow_key k;

	flowtab_key(m, &k);
	struct flow **slot = bucket(t, &k), *f = *slot;
	while (f && memcmp(&f->key, &k, sizeof(k)))
		f = f->hnext;
	bool syn_only = m->l4_proto == PROTO_TCP &&
			(m->tcp_flags & (TCP_SYN | TCP_ACK | TCP_RST)) == TCP_SYN;
	if (f && (f->cls == CLS_CLOSING || f->fins == 3) && syn_only) {
		end_flow(t, f, end_reason(f, FLOW_OPEN));	/* ports reused: a new connection */
		f = NULL;
		slot = bucket(t, &k);
	}
	if (!f)
		f = new_flow(t, &k, m, slot);

	int d = memcmp(m->src, f->src, 16) || m->sport != f->sport;
	f->packets[d]++;
	f->bytes[d] += p->wire_len;
	f->last_ns = m->ts_ns;
	if (p->proc.valid) {
		bool egress = p->dir == PKT_DIR_OUT;
		if (!f->owner.valid || (egress && !f->owner.from_egress))
			set_owner(f, &p->proc, egress);
	}
	if (hello && !f->hello)
		set_hello(f, hello, by);
	const char *name = d ? p->src_name : p->dst_name;	/* the name of the flow's dst */
	if (name && !f->dst_name)
		f->dst_name = xstrdup(name);
	if (f->proto == PROTO_TCP) {
		tcp_track(f, d, m);
		/* closed: reset, or both FINs sent and acknowledged (until then retransmitted
		 * FINs, seconds apart, still belong to it) */
		if (f->cls == CLS_TCP && ((m->tcp_flags & TCP_RST) || f->fin_acked == 3)) {
			f->end = (m->tcp_flags & TCP_RST) ? FLOW_RST : FLOW_FIN;
			list_del(&t->lists[CLS_TCP], f);
			f->cls = CLS_CLOSING;
			list_add_tail(&t->lists[CLS_CLOSING], f);
			return f;
		}
	}
	/* most recently active goes last */
	struct flow_list *l = &t->lists[f->cls];
	if (l->tail != f) {
		list_del(l, f);
		list_add_tail(l, f);
	}
	return f;
}

void flows_expire(struct flow_table *t, uint64_t now_ns)
{
	uint64_t timeout[CLS_N] = {
		[CLS_TCP] = t->cfg.tcp_idle_ns, [CLS_CLOSING] = t->cfg.linger_ns,
		[CLS_DGRAM] = t->cfg.idle_ns,
	};

	for (int c = 0; c < CLS_N; c++) {
		struct flow *f;
		while ((f = t->lists[c].head) && f->last_ns + timeout[c] <= now_ns)
			end_flow(t, f, end_reason(f, FLOW_TIMEOUT));
	}
}

void flows_foreach(struct flow_table *t, void (*fn)(void *ctx, struct flow *f), void *ctx)
{
	for (int c = 0; c < CLS_N; c++)
		for (struct flow *f = t->lists[c].head; f; f = f->next)
			fn(ctx, f);
}

uint64_t flows_active(const struct flow_table *t)
{
	return t->active;
}

uint64_t flows_evicted(const struct flow_table *t)
{
	return t->evicted;
}

void flows_free(struct flow_table *t, enum flow_end why)
{
	if (!t)
		return;
	for (int c = 0; c < CLS_N; c++) {
		struct flow *f;
		while ((f = t->lists[c].head))
			end_flow(t, f, end_reason(f, why));
	}
	free(t->buckets);
	free(t);
}
