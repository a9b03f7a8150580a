// SPDX-License-Identifier: BSD-3-Clause
/* Lean records (see leancomment.h): a direct-mapped table of flows, each with a digest of the
 * fields its last full comment carried that the short comment leaves out. A collision or an
 * eviction only costs one more full comment. */
#include <stdlib.h>
#include <string.h>

#include "flowtab.h"
#include "leancomment.h"
#include "util.h"

#define LEAN_SLOTS 16384	/* flows remembered per file */

struct lean_slot {
	struct flow_key key;
	uint64_t digest;	/* 0 = empty */
};

/* A packet's addresses, ports and protocols as they are (not ordered like a flow key):
 * compared word by word, cheaper than building the key. */
struct endpoints {
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	uint8_t ver, proto;
	uint8_t _pad[2];
};

static void endpoints_of(const struct pkt_meta *m, struct endpoints *e)
{
	memcpy(e->src, m->src, 16);
	memcpy(e->dst, m->dst, 16);
	e->sport = m->sport;
	e->dport = m->dport;
	e->ver = m->ip_ver;
	e->proto = m->l4_proto;
	e->_pad[0] = e->_pad[1] = 0;
}

struct leancomment {
	bool always_full;
	struct lean_slot *slots;	/* allocated at the first flow */
	uint64_t file_no;
	/* the last packet's owner fill and digest: a stream of one owner hashes no string */
	uint64_t serial;
	uint64_t owner_digest;
	/* the last packet's endpoints, flow key and slot: a stream of one flow builds and
	 * hashes no key */
	struct endpoints last_ends;
	struct flow_key last_key;
	struct lean_slot *last_slot;
};

struct leancomment *leancomment_new(bool always_full)
{
	struct leancomment *lc = xcalloc(1, sizeof(*lc));

	lc->always_full = always_full;
	return lc;
}

void leancomment_free(struct leancomment *lc)
{
	if (!lc)
		return;
	zpages_free(lc->slots, LEAN_SLOTS * sizeof(*lc->slots));
	free(lc);
}

static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
	const uint8_t *b = data;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return h;
}

static uint64_t fnv_str(uint64_t h, const char *s)
{
	return fnv(h, s ? s : "", (s ? strlen(s) : 0) + 1);	/* the NUL separates fields */
}

/* The fields only the full comment carries (comment.c's !brief lines), and the PID. */
static uint64_t owner_digest(const struct proc_meta *m)
{
	uint64_t h = 14695981039346656037ull;

	h = fnv(h, &m->pid, sizeof(m->pid));
	h = fnv(h, &m->ppid, sizeof(m->ppid));
	h = fnv(h, &m->uid, sizeof(m->uid));
	h = fnv_str(h, m->exe);
	h = fnv_str(h, m->args);
	return fnv_str(h, m->cgroup);
}

bool leancomment_full(struct leancomment *lc, const struct packet *p, const struct pkt_meta *m,
		      const char *sni, const char *ja4, uint64_t file_no)
{
	if (lc->always_full || !p->proc.valid || !m || !m->ip_ver)
		return true;
	/* 768 KiB of slots, hashed: a page is touched when a flow first lands on it. Clearing
	 * them all up front cost a capture 192 page faults (2-3 ms) on its first packet and on
	 * every new file. */
	if (!lc->slots)
		lc->slots = zpages_new(LEAN_SLOTS * sizeof(*lc->slots));
	if (file_no != lc->file_no) {
		zpages_clear(lc->slots, LEAN_SLOTS * sizeof(*lc->slots));
		lc->file_no = file_no;
	}
	if (!p->proc.serial || p->proc.serial != lc->serial) {
		lc->owner_digest = owner_digest(&p->proc);
		lc->serial = p->proc.serial;
	}
	uint64_t d = lc->owner_digest;
	if (sni || ja4)	/* only flows whose ClientHello was seen */
		d = fnv_str(fnv_str(d, sni), ja4);
	d = d ? d : 1;

	struct endpoints ends;
	endpoints_of(m, &ends);
	struct lean_slot *s = lc->last_slot;
	if (s && !memcmp(&ends, &lc->last_ends, sizeof(ends))) {
		/* the flow of the last call, whose key its slot holds: another flow landing on
		 * the slot since would have changed last_ends, a new file zeroed the digest */
		if (s->digest == d)
			return false;
	} else {
		flowtab_key(m, &lc->last_key);
		s = &lc->slots[flowtab_hash(&lc->last_key) % LEAN_SLOTS];
		lc->last_ends = ends;
		lc->last_slot = s;
		if (s->digest == d && !memcmp(&s->key, &lc->last_key, sizeof(s->key)))
			return false;
	}
	s->key = lc->last_key;
	s->digest = d;
	return true;
}
