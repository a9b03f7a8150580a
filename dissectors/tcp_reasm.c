// SPDX-License-Identifier: BSD-3-Clause
/* Bounded TCP stream reassembly (see tcp_reasm.h).
 * specification: RFC 9293 §3.4 (sequence numbers), §3.10.7.4 (segments may arrive out of
 * order, duplicated or overlapping). Entries live in a hash table and in one list ordered by
 * creation time, so eviction of the oldest and age expiry are O(1) per entry. */
#include <stdlib.h>
#include <string.h>
#include "tcp_reasm.h"
#include "util.h"

#define N_BUCKETS 1024u		/* power of two */

struct tcp_reasm {
	struct tcp_reasm_limits lim;
	size_t n_flows;
	uint64_t bytes;				/* sum of every entry's cap */
	struct tcp_reasm_flow *oldest, *newest;
	struct tcp_reasm_flow *buckets[N_BUCKETS];
};

static uint32_t key_hash(const struct tcp_flow_key *k)
{
	/* FNV-1a over the key's fields (not its padding) */
	uint32_t h = 2166136261u;
	const uint8_t *parts[2] = { k->src, k->dst };

	for (int p = 0; p < 2; p++)
		for (int i = 0; i < 16; i++)
			h = (h ^ parts[p][i]) * 16777619u;
	h = (h ^ k->sport) * 16777619u;
	h = (h ^ k->dport) * 16777619u;
	h = (h ^ k->ip_ver) * 16777619u;
	return h;
}

static bool key_eq(const struct tcp_flow_key *a, const struct tcp_flow_key *b)
{
	return a->sport == b->sport && a->dport == b->dport && a->ip_ver == b->ip_ver &&
	       !memcmp(a->src, b->src, 16) && !memcmp(a->dst, b->dst, 16);
}

struct tcp_reasm *tcp_reasm_new(const struct tcp_reasm_limits *lim)
{
	struct tcp_reasm *t = xcalloc(1, sizeof(*t));

	t->lim = *lim;
	return t;
}

size_t tcp_reasm_count(const struct tcp_reasm *t)
{
	return t ? t->n_flows : 0;
}

uint64_t tcp_reasm_bytes(const struct tcp_reasm *t)
{
	return t ? t->bytes : 0;
}

struct tcp_reasm_flow *tcp_reasm_find(struct tcp_reasm *t, const struct tcp_flow_key *k)
{
	for (struct tcp_reasm_flow *f = t->buckets[key_hash(k) & (N_BUCKETS - 1)]; f; f = f->hnext)
		if (key_eq(&f->key, k))
			return f;
	return NULL;
}

void tcp_reasm_close(struct tcp_reasm *t, struct tcp_reasm_flow *f)
{
	struct tcp_reasm_flow **pp = &t->buckets[key_hash(&f->key) & (N_BUCKETS - 1)];

	while (*pp != f)
		pp = &(*pp)->hnext;
	*pp = f->hnext;
	if (f->older)
		f->older->newer = f->newer;
	else
		t->oldest = f->newer;
	if (f->newer)
		f->newer->older = f->older;
	else
		t->newest = f->older;
	t->bytes -= f->cap;
	t->n_flows--;
	free(f->buf);
	free(f);
}

void tcp_reasm_free(struct tcp_reasm *t)
{
	if (!t)
		return;
	while (t->oldest)
		tcp_reasm_close(t, t->oldest);
	free(t);
}

void tcp_reasm_expire(struct tcp_reasm *t, uint64_t now_ns)
{
	/* a timestamp that went backwards (merged captures) expires nothing */
	while (t->oldest && now_ns > t->oldest->born_ns &&
	       now_ns - t->oldest->born_ns > t->lim.max_age_ns)
		tcp_reasm_close(t, t->oldest);
}

struct tcp_reasm_flow *tcp_reasm_open(struct tcp_reasm *t, const struct tcp_flow_key *k,
				      uint32_t seq0, uint64_t now_ns)
{
	struct tcp_reasm_flow *f = tcp_reasm_find(t, k);

	if (f)
		tcp_reasm_close(t, f);
	while (t->oldest && t->n_flows >= t->lim.max_flows)
		tcp_reasm_close(t, t->oldest);
	if (t->lim.max_flows == 0)
		return NULL;
	f = xcalloc(1, sizeof(*f));
	f->key = *k;
	f->seq0 = seq0;
	f->born_ns = now_ns;
	uint32_t b = key_hash(k) & (N_BUCKETS - 1);
	f->hnext = t->buckets[b];
	t->buckets[b] = f;
	f->older = t->newest;
	if (t->newest)
		t->newest->newer = f;
	else
		t->oldest = f;
	t->newest = f;
	t->n_flows++;
	return f;
}

/* Grows f's buffer to hold at least `need` bytes, within the per-flow and total caps. */
static bool reserve(struct tcp_reasm *t, struct tcp_reasm_flow *f, uint32_t need)
{
	if (need <= f->cap)
		return true;
	uint32_t cap = f->cap ? f->cap : 2048;
	while (cap < need)
		cap *= 2;
	if (cap > t->lim.max_flow_bytes)
		cap = t->lim.max_flow_bytes;
	if (cap < need || t->bytes - f->cap + cap > t->lim.max_total_bytes)
		return false;
	f->buf = xrealloc(f->buf, cap);
	t->bytes = t->bytes - f->cap + cap;
	f->cap = cap;
	return true;
}

/* Merges [start, end) into the sorted island list; returns the number of new bytes covered,
 * or -1 if the list would overflow. Bytes already covered are not overwritten. */
static long merge(struct tcp_reasm_flow *f, const uint8_t *data, uint32_t start, uint32_t end)
{
	long fresh = 0;
	uint32_t pos = start;

	/* copy only into the gaps, so the first copy of every byte wins */
	for (int i = 0; i <= f->n_islands && pos < end; i++) {
		uint32_t gap_end = i < f->n_islands ? f->islands[i].start : UINT32_MAX;
		uint32_t gap_start = i ? f->islands[i - 1].end : 0;

		if (pos < gap_start)
			pos = gap_start;
		if (pos >= end)
			break;
		if (pos < gap_end) {
			uint32_t stop = end < gap_end ? end : gap_end;
			memcpy(f->buf + pos, data + (pos - start), stop - pos);
			fresh += stop - pos;
			pos = stop;
		}
	}
	if (!fresh)
		return 0;

	/* insert then coalesce ranges that overlap or touch */
	int i = 0;
	while (i < f->n_islands && f->islands[i].end < start)
		i++;
	int j = i;
	uint32_t lo = start, hi = end;
	while (j < f->n_islands && f->islands[j].start <= end) {
		if (f->islands[j].start < lo)
			lo = f->islands[j].start;
		if (f->islands[j].end > hi)
			hi = f->islands[j].end;
		j++;
	}
	int removed = j - i;
	if (removed == 0 && f->n_islands == TCP_REASM_MAX_ISLANDS)
		return -1;
	memmove(&f->islands[i + 1], &f->islands[j],
		(size_t)(f->n_islands - j) * sizeof(f->islands[0]));
	f->islands[i].start = lo;
	f->islands[i].end = hi;
	f->n_islands = (uint8_t)(f->n_islands - removed + 1);
	return fresh;
}

int tcp_reasm_add(struct tcp_reasm *t, struct tcp_reasm_flow *f, uint32_t seq,
		  const uint8_t *data, size_t len)
{
	int64_t off = tcp_reasm_offset(f, seq);

	if (off < 0) {				/* starts before the stream: keep the rest */
		if ((uint64_t)-off >= len)
			return 0;
		data += -off;
		len -= (size_t)-off;
		off = 0;
	}
	if (len == 0)
		return 0;
	if ((uint64_t)off + len > t->lim.max_flow_bytes)
		return -1;
	uint32_t start = (uint32_t)off, end = (uint32_t)(off + (int64_t)len);
	if (!reserve(t, f, end))
		return -1;
	long fresh = merge(f, data, start, end);
	if (fresh < 0)
		return -1;
	if (fresh == 0)
		return 0;
	if (f->segments < UINT16_MAX)
		f->segments++;
	f->contig = f->n_islands && f->islands[0].start == 0 ? f->islands[0].end : 0;
	return 1;
}
