// SPDX-License-Identifier: BSD-3-Clause
/* QUIC Initial flow table and CRYPTO stream reassembly (bounded).
 * specification: RFC 9000 §7.2, §17.2.5, §19.6; RFC 9001 §5.2 */
#include "quic_reasm.h"
#include "cursor.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct quic_reasm *quic_reasm_new(void)
{
	return xcalloc(1, sizeof(struct quic_reasm));
}

static void flow_release(struct quic_reasm *r, struct quic_flow *f)
{
	for (int i = 0; i < 2; i++) {
		r->bytes -= f->stream[i].alloc + f->stream[i].alloc / 8;
		free(f->stream[i].buf);
		free(f->stream[i].have);
	}
	memset(f, 0, sizeof(*f));
}

void quic_reasm_free(struct quic_reasm *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < QUIC_REASM_MAX_FLOWS; i++)
		if (r->flows[i].used)
			flow_release(r, &r->flows[i]);
	free(r);
}

bool quic_cid_eq(const struct quic_cid *a, const struct quic_cid *b)
{
	return a->len == b->len && memcmp(a->b, b->b, a->len) == 0;
}

static bool tuple_eq(const struct quic_tuple *a, const struct quic_tuple *b)
{
	size_t alen = a->ip_ver == 6 ? 16 : 4;

	return a->ip_ver == b->ip_ver && a->client_port == b->client_port &&
	       a->server_port == b->server_port && memcmp(a->client, b->client, alen) == 0 &&
	       memcmp(a->server, b->server, alen) == 0;
}

/* Index where a search continues after `after`. */
static size_t first_index(const struct quic_reasm *r, const struct quic_flow *after)
{
	return after ? (size_t)(after - r->flows) + 1 : 0;
}

struct quic_flow *quic_reasm_find_client(struct quic_reasm *r, const struct quic_tuple *t,
					 const struct quic_cid *dcid, struct quic_cid *key_cid,
					 const struct quic_flow *after)
{
	for (size_t i = first_index(r, after); i < QUIC_REASM_MAX_FLOWS; i++) {
		struct quic_flow *f = &r->flows[i];

		if (!f->used || !tuple_eq(&f->tuple, t))
			continue;
		for (uint8_t a = 0; a < f->n_alias; a++) {
			if (quic_cid_eq(&f->alias[a].cid, dcid)) {
				*key_cid = f->alias[a].key_cid;
				return f;
			}
		}
	}
	return NULL;
}

struct quic_flow *quic_reasm_find_server(struct quic_reasm *r, const struct quic_tuple *t,
					 const struct quic_cid *dcid,
					 const struct quic_flow *after)
{
	for (size_t i = first_index(r, after); i < QUIC_REASM_MAX_FLOWS; i++) {
		struct quic_flow *f = &r->flows[i];

		if (f->used && tuple_eq(&f->tuple, t) && quic_cid_eq(&f->client_scid, dcid))
			return f;
	}
	return NULL;
}

/* The least recently used flow other than flows[skip] (NULL if there is none). */
static struct quic_flow *oldest_flow(struct quic_reasm *r, size_t skip)
{
	struct quic_flow *old = NULL;

	for (size_t i = 0; i < QUIC_REASM_MAX_FLOWS; i++)
		if (i != skip && r->flows[i].used &&
		    (!old || r->flows[i].last_ns < old->last_ns))
			old = &r->flows[i];
	return old;
}

struct quic_flow *quic_reasm_add(struct quic_reasm *r, const struct quic_tuple *t,
				 uint32_t version, const struct quic_cid *dcid,
				 const struct quic_cid *scid, uint64_t now_ns)
{
	struct quic_flow *slot = NULL;

	for (size_t i = 0; i < QUIC_REASM_MAX_FLOWS; i++) {
		struct quic_flow *f = &r->flows[i];

		/* timestamps may step back across files: only evict on a forward age */
		if (f->used && now_ns > f->last_ns && now_ns - f->last_ns > QUIC_REASM_MAX_AGE_NS)
			flow_release(r, f);
		if (!f->used && !slot)
			slot = f;
	}
	if (!slot) {
		slot = oldest_flow(r, QUIC_REASM_MAX_FLOWS);	/* the table is full: never NULL */
		flow_release(r, slot);
	}
	slot->used = true;
	slot->version = version;
	slot->last_ns = now_ns;
	slot->tuple = *t;
	slot->client_scid = *scid;
	slot->key_cid = *dcid;
	slot->largest_pn[0] = slot->largest_pn[1] = -1;
	quic_flow_add_alias(slot, dcid, dcid);
	return slot;
}

void quic_flow_add_alias(struct quic_flow *f, const struct quic_cid *cid,
			 const struct quic_cid *key_cid)
{
	uint8_t a;

	for (a = 0; a < f->n_alias; a++)
		if (quic_cid_eq(&f->alias[a].cid, cid))
			break;
	if (a == f->n_alias) {
		if (f->n_alias < QUIC_FLOW_ALIASES)
			f->n_alias++;
		else	/* full: recycle the oldest alias, but keep the first DCID (slot 0) */
			a = (uint8_t)(1 + f->alias_next++ % (QUIC_FLOW_ALIASES - 1));
	}
	f->alias[a].cid = *cid;
	f->alias[a].key_cid = *key_cid;
}

/* Grows a stream to hold `need` bytes (rounded up to 1 KiB), within the table's byte cap:
 * idle flows are evicted first. Returns false if the cap cannot be met. */
static bool stream_reserve(struct quic_reasm *r, struct quic_flow *f, struct quic_stream *s,
			   uint32_t need)
{
	uint32_t want = (need + 1023u) & ~1023u;
	size_t grow;

	if (want <= s->alloc)
		return true;
	if (want > QUIC_REASM_STREAM_MAX)
		return false;
	grow = (want - s->alloc) + (want - s->alloc) / 8;
	while (r->bytes + grow > QUIC_REASM_MAX_BYTES) {
		struct quic_flow *old = oldest_flow(r, (size_t)(f - r->flows));

		if (!old)
			return false;
		flow_release(r, old);
	}
	s->buf = xrealloc(s->buf, want);
	s->have = xrealloc(s->have, want / 8);
	memset(s->buf + s->alloc, 0, want - s->alloc);
	memset(s->have + s->alloc / 8, 0, (want - s->alloc) / 8);
	s->alloc = want;
	r->bytes += grow;
	return true;
}

int quic_stream_insert(struct quic_reasm *r, struct quic_flow *f, enum quic_side side,
		       uint64_t offset, const uint8_t *data, size_t len)
{
	struct quic_stream *s = &f->stream[side];

	if (offset > QUIC_REASM_STREAM_MAX || len > QUIC_REASM_STREAM_MAX - offset)
		return -1;
	if (len == 0)
		return 0;
	if (!stream_reserve(r, f, s, (uint32_t)(offset + len)))
		return -1;
	memcpy(s->buf + offset, data, len);
	for (size_t i = offset; i < offset + len; i++)
		s->have[i / 8] |= (uint8_t)(1u << (i % 8));
	while (s->prefix < s->alloc && (s->have[s->prefix / 8] & (1u << (s->prefix % 8))))
		s->prefix++;
	return 0;
}

size_t quic_stream_message_len(const struct quic_stream *s)
{
	struct cursor c;
	size_t len;

	if (s->reported >= s->prefix)
		return 0;
	c = cur_init(s->buf + s->reported, s->prefix - s->reported);
	/* Handshake { msg_type (1), length (3), body } (RFC 8446 §4) */
	cur_u8(&c);
	len = 4 + (size_t)cur_be24(&c);
	return !c.short_read && len <= s->prefix - s->reported ? len : 0;
}
