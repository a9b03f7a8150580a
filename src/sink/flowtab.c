// SPDX-License-Identifier: BSD-3-Clause
/* Flow table (see flowtab.h): keys are direction-independent 5-tuples, so a server's reply finds
 * the entry the client's ClientHello created. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flowtab.h"
#include "util.h"

struct flow_entry {
	struct flow_key key;
	uint64_t stamp;		/* insertion order; 0 = free */
	char sni[TLS_SNI_MAX];
	char ja4[JA4_MAX];
};

struct flowtab {
	struct flow_entry *slots;	/* FLOWTAB_SETS * FLOWTAB_WAYS, allocated on first put */
	uint64_t clock;
};

struct flowtab *flowtab_new(void)
{
	return xcalloc(1, sizeof(struct flowtab));
}

void flowtab_free(struct flowtab *ft)
{
	if (!ft)
		return;
	zpages_free(ft->slots, FLOWTAB_SETS * FLOWTAB_WAYS * sizeof(struct flow_entry));
	free(ft);
}

void flowtab_key(const struct pkt_meta *m, struct flow_key *k)
{
	int c = memcmp(m->src, m->dst, 16);
	bool swap = c > 0 || (c == 0 && m->sport > m->dport);

	memset(k, 0, sizeof(*k));
	memcpy(k->a, swap ? m->dst : m->src, 16);
	memcpy(k->b, swap ? m->src : m->dst, 16);
	k->pa = swap ? m->dport : m->sport;
	k->pb = swap ? m->sport : m->dport;
	k->ver = m->ip_ver;
	k->proto = m->l4_proto;
}

/* FNV-1a over the key bytes: cheap and good enough for a table the attacker cannot grow. */
uint32_t flowtab_hash(const struct flow_key *k)
{
	const uint8_t *p = (const uint8_t *)k;
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < sizeof(*k); i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* ft->slots must be allocated. */
static struct flow_entry *find(struct flowtab *ft, const struct flow_key *k)
{
	struct flow_entry *set = &ft->slots[(flowtab_hash(k) % FLOWTAB_SETS) * FLOWTAB_WAYS];
	for (int w = 0; w < FLOWTAB_WAYS; w++)
		if (set[w].stamp && !memcmp(&set[w].key, k, sizeof(*k)))
			return &set[w];
	return NULL;
}

void flowtab_put(struct flowtab *ft, const struct pkt_meta *m, const char *sni, const char *ja4)
{
	struct flow_key k;

	flowtab_key(m, &k);
	if (!ft->slots)
		ft->slots = zpages_new(FLOWTAB_SETS * FLOWTAB_WAYS * sizeof(struct flow_entry));
	struct flow_entry *e = find(ft, &k);
	if (!e) {
		struct flow_entry *set = &ft->slots[(flowtab_hash(&k) % FLOWTAB_SETS) * FLOWTAB_WAYS];
		e = &set[0];
		for (int w = 1; w < FLOWTAB_WAYS; w++)
			if (set[w].stamp < e->stamp)
				e = &set[w];
		e->key = k;
	}
	e->stamp = ++ft->clock;
	snprintf(e->sni, sizeof(e->sni), "%s", sni ? sni : "");
	snprintf(e->ja4, sizeof(e->ja4), "%s", ja4 ? ja4 : "");
}

const char *flowtab_get(struct flowtab *ft, const struct pkt_meta *m, const char **ja4)
{
	struct flow_key k;

	if (!ft->slots)
		return NULL;	/* no ClientHello yet: skip the key for the common no-TLS capture */
	flowtab_key(m, &k);
	struct flow_entry *e = find(ft, &k);
	if (!e)
		return NULL;
	*ja4 = e->ja4;
	return e->sni;
}
