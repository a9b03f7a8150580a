// SPDX-License-Identifier: BSD-3-Clause
/* QUIC CRYPTO reassembly table: out-of-order and overlapping pieces, several handshake
 * messages in one stream, and the bounds (entry cap, per-stream cap, byte cap, age). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "quic_reasm.h"

static struct quic_tuple tuple(uint16_t port)
{
	struct quic_tuple t;

	memset(&t, 0, sizeof(t));
	t.ip_ver = 4;
	t.client[0] = 192;
	t.server[0] = 198;
	t.client_port = port;
	t.server_port = 443;
	return t;
}

static struct quic_cid cid(uint32_t n)
{
	struct quic_cid c = { .len = 8 };

	memcpy(c.b, &n, sizeof(n));
	return c;
}

static void test_out_of_order(void)
{
	struct quic_reasm *r = quic_reasm_new();
	struct quic_tuple t = tuple(1000);
	struct quic_cid d = cid(1), s = { 0 }, key;
	struct quic_flow *f = quic_reasm_add(r, &t, 1, &d, &s, 1);
	uint8_t msg[600], msg2[100];

	/* a 600-byte handshake message (type 1, length 596) then a 100-byte one */
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)i;
	msg[0] = 1, msg[1] = 0, msg[2] = 0x02, msg[3] = 0x54;
	memset(msg2, 7, sizeof(msg2));
	msg2[0] = 2, msg2[1] = 0, msg2[2] = 0, msg2[3] = 96;

	CHECK(quic_reasm_find_client(r, &t, &d, &key, NULL) == f && quic_cid_eq(&key, &d),
	      "reasm: flow found by tuple and DCID");
	quic_stream_insert(r, f, QUIC_CLIENT, 400, msg + 400, 200);
	quic_stream_insert(r, f, QUIC_CLIENT, 100, msg + 100, 150);
	CHECK_INT(quic_stream_message_len(&f->stream[QUIC_CLIENT]), 0, "reasm: gap at 0: none yet");
	quic_stream_insert(r, f, QUIC_CLIENT, 0, msg, 120);		/* overlaps 100..120 */
	CHECK_INT(f->stream[QUIC_CLIENT].prefix, 250, "reasm: contiguous prefix 250");
	CHECK_INT(quic_stream_message_len(&f->stream[QUIC_CLIENT]), 0, "reasm: gap at 250");
	quic_stream_insert(r, f, QUIC_CLIENT, 250, msg + 250, 150);
	CHECK_INT(quic_stream_message_len(&f->stream[QUIC_CLIENT]), 600, "reasm: message complete");
	CHECK(memcmp(f->stream[QUIC_CLIENT].buf, msg, 600) == 0, "reasm: bytes in order");
	f->stream[QUIC_CLIENT].reported = 600;
	quic_stream_insert(r, f, QUIC_CLIENT, 650, msg2 + 50, 50);
	CHECK_INT(quic_stream_message_len(&f->stream[QUIC_CLIENT]), 0, "reasm: second message cut");
	quic_stream_insert(r, f, QUIC_CLIENT, 600, msg2, 50);
	CHECK_INT(quic_stream_message_len(&f->stream[QUIC_CLIENT]), 100,
		  "reasm: second message after the first");
	CHECK_INT(quic_stream_insert(r, f, QUIC_CLIENT, QUIC_REASM_STREAM_MAX - 10, msg, 11), -1,
		  "reasm: data past the stream cap refused");
	CHECK_INT(quic_stream_insert(r, f, QUIC_CLIENT, UINT64_MAX - 5, msg, 11), -1,
		  "reasm: offset overflow refused");
	quic_reasm_free(r);
}

static int used_flows(const struct quic_reasm *r)
{
	int n = 0;

	for (size_t i = 0; i < QUIC_REASM_MAX_FLOWS; i++)
		n += r->flows[i].used;
	return n;
}

static void test_bounds(void)
{
	struct quic_reasm *r = quic_reasm_new();
	struct quic_cid s = { 0 }, key;
	static uint8_t big[QUIC_REASM_STREAM_MAX];
	struct quic_tuple t0 = tuple(0);
	struct quic_cid d0 = cid(0);
	bool bytes_ok = true;

	/* more flows than the table holds, each buffering a full stream */
	for (uint32_t i = 0; i < QUIC_REASM_MAX_FLOWS + 44; i++) {
		struct quic_tuple t = tuple((uint16_t)i);
		struct quic_cid d = cid(i);
		struct quic_flow *f = quic_reasm_add(r, &t, 1, &d, &s, 1000 + i);

		quic_stream_insert(r, f, QUIC_CLIENT, 0, big, sizeof(big));
		bytes_ok &= r->bytes <= QUIC_REASM_MAX_BYTES;
	}
	CHECK(used_flows(r) <= QUIC_REASM_MAX_FLOWS, "reasm: entry cap");
	CHECK(bytes_ok, "reasm: byte cap held after every insert");
	CHECK(!quic_reasm_find_client(r, &t0, &d0, &key, NULL), "reasm: oldest flow evicted");

	/* a flow idle longer than the age limit goes when a new one arrives */
	quic_reasm_free(r);
	r = quic_reasm_new();
	quic_reasm_add(r, &t0, 1, &d0, &s, 1);
	{
		struct quic_tuple t1 = tuple(1);
		struct quic_cid d1 = cid(1);

		quic_reasm_add(r, &t1, 1, &d1, &s, 2 + QUIC_REASM_MAX_AGE_NS);
	}
	CHECK(quic_reasm_find_client(r, &t0, &d0, &key, NULL) == NULL && used_flows(r) == 1,
	      "reasm: idle flow aged out");
	CHECK_INT(r->bytes, 0, "reasm: no bytes held by empty flows");
	quic_reasm_free(r);
}

static void test_aliases(void)
{
	struct quic_reasm *r = quic_reasm_new();
	struct quic_tuple t = tuple(7);
	struct quic_cid d = cid(1), s = cid(2), key;
	struct quic_flow *f = quic_reasm_add(r, &t, 1, &d, &s, 1);

	CHECK(quic_reasm_find_server(r, &t, &s, NULL) == f, "reasm: server packet by client SCID");
	for (uint32_t i = 10; i < 10 + 3 * QUIC_FLOW_ALIASES; i++) {
		struct quic_cid a = cid(i);

		quic_flow_add_alias(f, &a, &d);
	}
	CHECK(f->n_alias <= QUIC_FLOW_ALIASES, "reasm: alias list bounded");
	CHECK(quic_reasm_find_client(r, &t, &d, &key, NULL) == f, "reasm: first DCID kept");
	{
		struct quic_cid last = cid(10 + 3 * QUIC_FLOW_ALIASES - 1);

		CHECK(quic_reasm_find_client(r, &t, &last, &key, NULL) == f &&
			      quic_cid_eq(&key, &d),
		      "reasm: newest alias maps to the first DCID's keys");
	}
	quic_reasm_free(r);
}

int main(void)
{
	test_out_of_order();
	test_bounds();
	test_aliases();
	return CHECK_EXIT();
}
