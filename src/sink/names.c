// SPDX-License-Identifier: BSD-3-Clause
/* Address -> name table (see names.h): chained hashing over a fixed pool, the least recently
 * learned entry replaced when the pool is full. */
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "util.h"

#define NAMES_BUCKETS	(NAMES_MAX * 2)
#define NONE		UINT32_MAX

struct name_entry {
	uint32_t next;			/* bucket chain */
	uint32_t stamp;			/* learn count when last (re)learned */
	bool fresh;			/* learned since names_take_new last ran */
	uint8_t source;			/* enum name_source */
	uint8_t ver;
	uint8_t addr[16];
	char name[DNS_NAME_MAX];
};

/* Entries live in a fixed pool and never move; the ring lists each pool index once, in
 * learning order, with the stamp it had then: an entry learned again since is not replaced
 * when its turn comes but moved to the end (second chance). */
struct names {
	struct name_entry pool[NAMES_MAX];
	uint32_t bucket[NAMES_BUCKETS];
	struct { uint32_t idx, stamp; } ring[NAMES_MAX];
	size_t head, count;		/* ring: oldest at head */
	uint32_t used, stamp;
	uint32_t n_fresh;		/* entries with fresh set: names_take_new() runs per packet */
};

struct names *names_new(void)
{
	struct names *n = xcalloc(1, sizeof(struct names));

	for (size_t i = 0; i < NAMES_BUCKETS; i++)
		n->bucket[i] = NONE;
	return n;
}

void names_free(struct names *n)
{
	free(n);
}

static size_t alen(uint8_t ver)
{
	return ver == 6 ? 16 : 4;
}

static uint32_t hash(uint8_t ver, const uint8_t *a)
{
	uint32_t h = 2166136261u ^ ver;

	for (size_t i = 0; i < alen(ver); i++)
		h = (h ^ a[i]) * 16777619u;
	return h % NAMES_BUCKETS;
}

static struct name_entry *find(const struct names *n, uint8_t ver, const uint8_t *a)
{
	for (uint32_t i = n->bucket[hash(ver, a)]; i != NONE; i = n->pool[i].next) {
		const struct name_entry *e = &n->pool[i];

		if (e->ver == ver && !memcmp(e->addr, a, alen(ver)))
			return (struct name_entry *)e;
	}
	return NULL;
}

static void unlink_entry(struct names *n, uint32_t idx)
{
	struct name_entry *e = &n->pool[idx];
	uint32_t *p = &n->bucket[hash(e->ver, e->addr)];

	while (*p != idx)
		p = &n->pool[*p].next;
	*p = e->next;
}

static void ring_push(struct names *n, uint32_t idx)
{
	n->ring[(n->head + n->count) % NAMES_MAX].idx = idx;
	n->ring[(n->head + n->count) % NAMES_MAX].stamp = n->pool[idx].stamp;
	n->count++;
}

/* A pool slot for a new entry: a free one, else the least recently learned entry's. */
static uint32_t take_slot(struct names *n)
{
	if (n->used < NAMES_MAX)
		return n->used++;
	for (;;) {
		uint32_t idx = n->ring[n->head].idx, stamp = n->ring[n->head].stamp;

		n->head = (n->head + 1) % NAMES_MAX;
		n->count--;
		if (n->pool[idx].stamp == stamp) {
			unlink_entry(n, idx);
			return idx;
		}
		ring_push(n, idx);	/* learned again since: its newer place comes later */
	}
}

int names_learn(struct names *n, uint8_t ver, const uint8_t *addr, const char *name,
		enum name_source src)
{
	struct name_entry *e;

	if ((ver != 4 && ver != 6) || !name[0])
		return 0;
	e = find(n, ver, addr);
	if (e) {
		/* its ring place goes stale: take_slot() moves it to the end instead of reusing it */
		e->stamp = ++n->stamp;
		e->source = (uint8_t)src;
		if (!strcmp(e->name, name))
			return 0;
	} else {
		uint32_t idx = take_slot(n), b = hash(ver, addr);

		e = &n->pool[idx];
		memset(e, 0, sizeof(*e));
		e->ver = ver;
		memcpy(e->addr, addr, alen(ver));
		e->next = n->bucket[b];
		n->bucket[b] = idx;
		e->stamp = ++n->stamp;
		e->source = (uint8_t)src;
		ring_push(n, idx);
	}
	str_copy(e->name, sizeof(e->name), name);
	n->n_fresh += !e->fresh;
	e->fresh = true;
	return 1;
}

int names_learn_dns(struct names *n, const struct dns_info *d)
{
	int learned = 0;

	if (!d->response || d->rcode != 0 || !d->qname[0])
		return 0;
	/* Every address answer names the question: a CNAME chain ends in the addresses of the
	 * last name, which is what the client connects to when it asked for qname. */
	for (unsigned i = 0; i < d->n_answers; i++) {
		const struct dns_answer *a = &d->answers[i];

		if (a->type == 1)
			learned += names_learn(n, 4, a->addr, d->qname, NAME_SRC_DNS);
		else if (a->type == 28)
			learned += names_learn(n, 6, a->addr, d->qname, NAME_SRC_DNS);
	}
	return learned;
}

const char *names_lookup(const struct names *n, uint8_t ver, const uint8_t *addr,
			 enum name_source *src)
{
	const struct name_entry *e;

	if ((ver != 4 && ver != 6) || !n->used)	/* nothing learned: a flood asks per packet */
		return NULL;
	e = find(n, ver, addr);
	if (e && src)
		*src = (enum name_source)e->source;
	return e ? e->name : NULL;
}

static void to_rec(const struct name_entry *e, struct name_rec *r)
{
	r->ver = e->ver;
	memcpy(r->addr, e->addr, sizeof(r->addr));
	str_copy(r->name, sizeof(r->name), e->name);
}

bool names_have_new(const struct names *n)
{
	return n->n_fresh != 0;
}

size_t names_take_new(struct names *n, struct name_rec *out, size_t max)
{
	size_t got = 0;

	for (size_t k = 0; k < n->count && got < max && n->n_fresh; k++) {
		struct name_entry *e = &n->pool[n->ring[(n->head + k) % NAMES_MAX].idx];

		if (e->fresh) {
			to_rec(e, &out[got++]);
			e->fresh = false;
			n->n_fresh--;
		}
	}
	return got;
}

size_t names_all(const struct names *n, struct name_rec *out, size_t max)
{
	size_t got = 0;

	for (size_t k = 0; k < n->count && got < max; k++)
		to_rec(&n->pool[n->ring[(n->head + k) % NAMES_MAX].idx], &out[got++]);
	return got;
}
