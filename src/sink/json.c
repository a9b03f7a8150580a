// SPDX-License-Identifier: BSD-3-Clause
/* --json: one object per packet per line. Stable keys (DESIGN.md "Output contracts"):
 * ts, ifname, dir, len, caplen, pid, tid, comm, exe, cgroup, owner_source, src, dst, sport, dport,
 * proto, and the objects tls, quic, ipip when a dissector found one. Keys whose value is unknown
 * are omitted rather than null, so consumers test for presence. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "comment.h"
#include "json.h"

#define JSON_LINE_MAX 8192

size_t json_str(char *buf, size_t len, size_t cap, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	if (len + 2 >= cap)
		return len;
	buf[len++] = '"';
	for (; *s && len + 8 < cap; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\') {
			buf[len++] = '\\';
			buf[len++] = (char)ch;
		} else if (ch < 0x20 || ch >= 0x7f) {
			/* dissectors already escape non-printables; this keeps the line valid JSON
			 * even if a raw byte slips through (e.g. from a pcapng comment) */
			len += (size_t)snprintf(buf + len, cap - len, "\\u00%c%c", hex[ch >> 4],
						hex[ch & 15]);
		} else {
			buf[len++] = (char)ch;
		}
	}
	buf[len++] = '"';
	buf[len] = 0;
	return len;
}

void addr_to_str(uint8_t ver, const uint8_t *a, char *out, size_t len)
{
	if (!inet_ntop(ver == 6 ? AF_INET6 : AF_INET, a, out, (socklen_t)len))
		snprintf(out, len, "?");
}

struct jbuf {
	char s[JSON_LINE_MAX];
	size_t n;
	bool first;
};

static void jraw(struct jbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void jraw(struct jbuf *b, const char *fmt, ...)
{
	va_list ap;
	if (b->n >= sizeof(b->s))
		return;
	va_start(ap, fmt);
	int w = vsnprintf(b->s + b->n, sizeof(b->s) - b->n, fmt, ap);
	va_end(ap);
	if (w > 0)
		b->n = b->n + (size_t)w < sizeof(b->s) ? b->n + (size_t)w : sizeof(b->s) - 1;
}

static void jkey(struct jbuf *b, const char *key)
{
	jraw(b, "%s\"%s\":", b->first ? "" : ",", key);
	b->first = false;
}

static void jstr(struct jbuf *b, const char *key, const char *val)
{
	jkey(b, key);
	b->n = json_str(b->s, b->n, sizeof(b->s), val);
}

static void jnum(struct jbuf *b, const char *key, uint64_t v)
{
	jkey(b, key);
	jraw(b, "%" PRIu64, v);
}

static void jbool(struct jbuf *b, const char *key, bool v)
{
	jkey(b, key);
	jraw(b, "%s", v ? "true" : "false");
}

static void jopen(struct jbuf *b, const char *key)
{
	jkey(b, key);
	jraw(b, "{");
	b->first = true;
}

static void jclose(struct jbuf *b)
{
	jraw(b, "}");
	b->first = false;
}

static const char *const owner_names[] = { "none", "cookie", "tuple", "proc", "comm" };

static const char *proto_name(uint8_t p)
{
	switch (p) {
	case 1: return "icmp";
	case 6: return "tcp";
	case 17: return "udp";
	case 58: return "icmp6";
	case 132: return "sctp";
	case 47: return "gre";
	case 4: return "ipip";
	case 41: return "ipv6";
	default: return NULL;
	}
}

static void json_tls(struct jbuf *b, const struct tls_info *t)
{
	jstr(b, "msg", t->msg == TLS_MSG_SERVER_HELLO ? "server_hello" : "client_hello");
	if (t->has_sni)
		jstr(b, "sni", t->sni);
	if (t->alpn[0])
		jstr(b, "alpn", t->alpn);
	if (t->version) {
		char v[8];
		snprintf(v, sizeof(v), "0x%04x", t->version);
		jstr(b, "version", v);
	}
	if (t->msg == TLS_MSG_SERVER_HELLO) {
		char v[8];
		snprintf(v, sizeof(v), "0x%04x", t->cipher);
		jstr(b, "cipher", v);
	}
	if (t->ja4[0])
		jstr(b, "ja4", t->ja4);
	if (t->ja4_r[0])
		jstr(b, "ja4_r", t->ja4_r);
	if (t->ech)
		jbool(b, "ech", true);
	if (t->segments > 1)
		jnum(b, "segments", t->segments);
}

static void hexid(char *out, const uint8_t *id, uint8_t len)
{
	for (uint8_t i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02x", id[i]);
	out[2 * len] = 0;
}

static const char *quic_version_name(uint32_t v, char *buf, size_t len)
{
	if (v == 1)
		return "v1";
	if (v == 0x6b3343cf)
		return "v2";
	if (v == 0xff00001d)
		return "draft29";
	if (v == 0)
		return "negotiation";
	snprintf(buf, len, "0x%08x", v);
	return buf;
}

static void json_quic(struct jbuf *b, const struct quic_info *q)
{
	static const char *const types[] = { "initial", "0rtt", "handshake", "retry", "vn", "short" };
	char buf[48];

	jstr(b, "version", quic_version_name(q->version, buf, sizeof(buf)));
	if (q->pkt_type < sizeof(types) / sizeof(types[0]))
		jstr(b, "type", types[q->pkt_type]);
	hexid(buf, q->dcid, q->dcid_len > 20 ? 20 : q->dcid_len);
	jstr(b, "dcid", buf);
	hexid(buf, q->scid, q->scid_len > 20 ? 20 : q->scid_len);
	jstr(b, "scid", buf);
	jbool(b, "decrypted", q->decrypted);
	if (q->has_tls) {
		/* nested: the TLS "version" is not the QUIC one */
		jopen(b, "tls");
		json_tls(b, &q->tls);
		jclose(b);
	}
}

/* Nested tunnels print as one object: the outermost tunnel's addresses, the innermost packet's
 * addresses and the number of levels. */
static void json_ipip(struct jbuf *b, const struct ipip_info *t, const struct ipip_info *deepest,
		      int levels)
{
	char a[64], kind[16];

	if (t->proto == 47)
		snprintf(kind, sizeof(kind), "gre");
	else
		snprintf(kind, sizeof(kind), "%uin%u", t->inner_ver, t->outer_ver);
	jstr(b, "kind", kind);
	addr_to_str(t->outer_ver, t->outer_src, a, sizeof(a));
	jstr(b, "outer_src", a);
	addr_to_str(t->outer_ver, t->outer_dst, a, sizeof(a));
	jstr(b, "outer_dst", a);
	if (levels > 1)
		jnum(b, "levels", (uint64_t)levels);
	if (deepest->inner_ver == 4 || deepest->inner_ver == 6) {
		jopen(b, "inner");
		addr_to_str(deepest->inner_ver, deepest->inner_src, a, sizeof(a));
		jstr(b, "src", a);
		addr_to_str(deepest->inner_ver, deepest->inner_dst, a, sizeof(a));
		jstr(b, "dst", a);
		jclose(b);
	}
}

void json_packet(FILE *out, const struct packet *p, const struct pkt_meta *m,
		 const struct dissect_result *res, int nres)
{
	struct jbuf b = { .n = 0, .first = true };
	char ts[40], a[64];

	jraw(&b, "{");
	snprintf(ts, sizeof(ts), "%" PRIu64 ".%09" PRIu64, p->ts_ns / UINT64_C(1000000000),
		 p->ts_ns % UINT64_C(1000000000));
	jkey(&b, "ts");
	jraw(&b, "%s", ts);
	if (p->ifname)
		jstr(&b, "ifname", p->ifname);
	if (p->dir)
		jstr(&b, "dir", p->dir == PKT_DIR_IN ? "in" : "out");
	jnum(&b, "len", p->wire_len);
	jnum(&b, "caplen", p->cap_len);
	if (p->proc.valid) {
		jnum(&b, "pid", p->proc.pid);
		jnum(&b, "tid", p->proc.tid);
		jstr(&b, "comm", p->proc.comm);
		if (p->proc.exe[0])
			jstr(&b, "exe", p->proc.exe);
		if (p->proc.args[0])
			jstr(&b, "args", p->proc.args);
		if (p->proc.ppid)
			jnum(&b, "ppid", p->proc.ppid);
		if (p->proc.uid != COMMENT_UID_UNKNOWN)
			jnum(&b, "uid", p->proc.uid);
		if (p->proc.cgroup[0])
			jstr(&b, "cgroup", p->proc.cgroup);
		if (p->proc.container[0])
			jstr(&b, "container", p->proc.container);
	}
	if (p->procap_meta && p->proc.source < sizeof(owner_names) / sizeof(owner_names[0]))
		jstr(&b, "owner_source", owner_names[p->proc.source]);
	if (m && (m->ip_ver == 4 || m->ip_ver == 6)) {
		addr_to_str(m->ip_ver, m->src, a, sizeof(a));
		jstr(&b, "src", a);
		addr_to_str(m->ip_ver, m->dst, a, sizeof(a));
		jstr(&b, "dst", a);
		if (m->l4_proto == 6 || m->l4_proto == 17 || m->l4_proto == 132) {
			jnum(&b, "sport", m->sport);
			jnum(&b, "dport", m->dport);
		}
		const char *pn = proto_name(m->l4_proto);
		if (pn)
			jstr(&b, "proto", pn);
		else
			jnum(&b, "proto", m->l4_proto);
	}
	const struct ipip_info *outer_tun = NULL, *inner_tun = NULL;
	int levels = 0;
	for (int i = 0; i < nres; i++) {
		const struct dissect_result *r = &res[i];
		if (!r->by || (r->rc != DISSECT_OK && r->rc != DISSECT_TRUNCATED))
			continue;
		if (!strcmp(r->by->name, "tls")) {
			jopen(&b, "tls");
			json_tls(&b, &r->u.tls);
			jclose(&b);
		} else if (!strcmp(r->by->name, "quic")) {
			jopen(&b, "quic");
			json_quic(&b, &r->u.quic);
			jclose(&b);
		} else if (!strcmp(r->by->name, "ipip")) {
			if (!outer_tun)
				outer_tun = &r->u.ipip;
			inner_tun = &r->u.ipip;
			levels++;
		}
	}
	if (outer_tun) {
		jopen(&b, "ipip");
		json_ipip(&b, outer_tun, inner_tun, levels);
		jclose(&b);
	}
	jraw(&b, "}\n");
	fwrite(b.s, 1, b.n, out);
}
