// SPDX-License-Identifier: BSD-3-Clause
/* Test helpers for the TLS tests: run a capture file through dissect_packet() (read with
 * libpcap, an independent reader) and keep every TLS/QUIC hello result with its frame number;
 * read tab-separated expected files. Header-only: included by one test program each. */
#ifndef PROCAP_TEST_TLS_PCAP_H
#define PROCAP_TEST_TLS_PCAP_H

#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dissect.h"

struct hello_seen {
	uint64_t frame;			/* 1-based, as tshark numbers frames */
	struct pkt_meta m;
	const struct dissector *by;
	enum dissect_rc rc;
	struct tls_info tls;		/* res.u.tls, or res.u.quic.tls */
};

struct hello_run {
	struct hello_seen *v;
	size_t n, cap;
	uint64_t packets;
};

static inline void hello_run_free(struct hello_run *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}

static inline void hello_push(struct hello_run *r, uint64_t frame, const struct pkt_meta *m,
			      const struct dissect_result *res)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->v = realloc(r->v, r->cap * sizeof(*r->v));
		if (!r->v)
			abort();
	}
	struct hello_seen *s = &r->v[r->n++];
	s->frame = frame;
	s->m = *m;
	s->by = res->by;
	s->rc = res->rc;
	s->tls = res->by == &dissector_quic ? res->u.quic.tls : res->u.tls;
}

/* Every packet of path through one dissect context; keeps TLS and DTLS results (any rc but
 * PENDING) and QUIC results that carry a hello. Returns -1 if the file cannot be opened. */
static inline int hello_run_pcap(const char *path, struct hello_run *r)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, err);
	struct pcap_pkthdr *h;
	const u_char *d;
	static struct dissect_result res[DISSECT_MAX_RESULTS];

	memset(r, 0, sizeof(*r));
	if (!p)
		return -1;
	struct dissect_ctx *ctx = dissect_ctx_new();
	int lt = pcap_datalink(p);
	while (pcap_next_ex(p, &h, &d) == 1) {
		struct pkt_meta m;
		uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000000ull +
			      (uint64_t)h->ts.tv_usec * 1000;

		memset(&m, 0, sizeof(m));
		r->packets++;
		int n = dissect_packet(ctx, lt, d, h->caplen, h->len, ts, &m, res,
				       DISSECT_MAX_RESULTS);
		for (int i = 0; i < n; i++) {
			if ((res[i].by == &dissector_tls || res[i].by == &dissector_dtls) &&
			    res[i].rc != DISSECT_PENDING)
				hello_push(r, r->packets, &m, &res[i]);
			if (res[i].by == &dissector_quic && res[i].u.quic.has_tls)
				hello_push(r, r->packets, &m, &res[i]);
		}
	}
	dissect_ctx_free(ctx);
	pcap_close(p);
	return 0;
}

static inline void addr_str(const struct pkt_meta *m, bool src, char *out, size_t len)
{
	inet_ntop(m->ip_ver == 6 ? AF_INET6 : AF_INET, src ? m->src : m->dst, out, (socklen_t)len);
}

/* Splits line (modified in place) at tabs into at most max fields; returns the count. */
static inline int tsv_split(char *line, char **f, int max)
{
	int n = 0;

	line[strcspn(line, "\r\n")] = '\0';
	while (n < max) {
		f[n++] = line;
		char *tab = strchr(line, '\t');
		if (!tab)
			break;
		*tab = '\0';
		line = tab + 1;
	}
	return n;
}

#endif
