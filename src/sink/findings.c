// SPDX-License-Identifier: BSD-3-Clause
/* The findings table (see findings.h) and each dissector's renderers. Text formats are listed
 * in src/print/print.c's header comment and the man page; JSON objects in the man page. */
#include <stdio.h>
#include <string.h>

#include "findings.h"
#include "json.h"

/* ---- TLS (dissectors/tls.c) and QUIC (dissectors/quic.c), which carries a TLS hello ---- */

static void hexbytes(struct pbuf *pb, const uint8_t *b, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		pb_hex(pb, b[i], 2);
}

static void tls_fields(struct pbuf *pb, const struct tls_info *t)
{
	if (t->msg == TLS_MSG_SERVER_HELLO) {
		pb_str(pb, " version=0x");
		pb_hex(pb, t->version, 4);
		pb_str(pb, " cipher=0x");
		pb_hex(pb, t->cipher, 4);
		return;
	}
	if (t->has_sni && t->sni[0]) {
		pb_str(pb, " sni=");
		pb_escaped(pb, t->sni, strnlen(t->sni, sizeof(t->sni)), false);
	}
	if (t->alpn[0]) {
		pb_str(pb, " alpn=");
		pb_escaped(pb, t->alpn, strnlen(t->alpn, sizeof(t->alpn)), false);
	}
	if (t->ja4[0]) {
		pb_str(pb, " ja4=");
		pb_escaped(pb, t->ja4, strnlen(t->ja4, sizeof(t->ja4)), false);
	}
	if (t->ech)
		pb_str(pb, " ech=1");
	if (t->malformed)
		pb_str(pb, " malformed=1");
}

static void quic_version(struct pbuf *pb, uint32_t v)
{
	if (v == 0x00000001)
		pb_str(pb, "v1");
	else if (v == 0x6b3343cf)
		pb_str(pb, "v2");
	else if (v == 0xff00001d)
		pb_str(pb, "draft29");
	else {
		pb_str(pb, "0x");
		pb_hex(pb, v, 8);
	}
}

static void tls_text(struct pbuf *pb, const struct dissect_result *r)
{
	pb_str(pb, " tls");
	tls_fields(pb, &r->u.tls);
}

static void quic_text(struct pbuf *pb, const struct dissect_result *r)
{
	const struct quic_info *q = &r->u.quic;

	pb_str(pb, " quic=");
	quic_version(pb, q->version);
	pb_str(pb, " dcid=");
	hexbytes(pb, q->dcid, q->dcid_len > 20 ? 20 : q->dcid_len);
	if (q->scid_len) {
		pb_str(pb, " scid=");
		hexbytes(pb, q->scid, q->scid_len > 20 ? 20 : q->scid_len);
	}
	if (q->has_tls)
		tls_fields(pb, &q->tls);
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
	if (t->malformed)
		jbool(b, "malformed", true);
	if (t->cookie_len)				/* DTLS: a HelloVerifyRequest's cookie */
		jnum(b, "cookie_len", t->cookie_len);
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

/* One object named after the dissector for each of its hello results (TLS, DTLS). */
static void hello_objects(struct jbuf *b, const struct dissect_result *res, int nres,
			  const struct dissector *by)
{
	for (int i = 0; i < nres; i++) {
		if (res[i].by != by || !findings_reportable(&res[i]))
			continue;
		jopen(b, by->name);
		json_tls(b, &res[i].u.tls);
		jclose(b);
	}
}

static void tls_json_all(struct jbuf *b, const struct dissect_result *res, int nres)
{
	hello_objects(b, res, nres, &dissector_tls);
}

static void quic_json_all(struct jbuf *b, const struct dissect_result *res, int nres)
{
	for (int i = 0; i < nres; i++) {
		if (res[i].by != &dissector_quic || !findings_reportable(&res[i]))
			continue;
		jopen(b, "quic");
		json_quic(b, &res[i].u.quic);
		jclose(b);
	}
}

static const struct tls_info *tls_client_hello(const struct dissect_result *r)
{
	return r->u.tls.msg == TLS_MSG_CLIENT_HELLO ? &r->u.tls : NULL;
}

static const struct tls_info *quic_client_hello(const struct dissect_result *r)
{
	return r->u.quic.has_tls && r->u.quic.tls.msg == TLS_MSG_CLIENT_HELLO ? &r->u.quic.tls
									       : NULL;
}

/* ---- DTLS (dissectors/dtls.c): a TLS hello, plus the cookie of a repeated ClientHello ---- */

static void dtls_text(struct pbuf *pb, const struct dissect_result *r)
{
	pb_str(pb, " dtls");
	tls_fields(pb, &r->u.tls);
	if (r->u.tls.msg == TLS_MSG_CLIENT_HELLO && r->u.tls.cookie_len)
		pb_str(pb, " cookie=1");
}

static void dtls_json_all(struct jbuf *b, const struct dissect_result *res, int nres)
{
	hello_objects(b, res, nres, &dissector_dtls);
}

/* ---- IP-in-IP and GRE (dissectors/ipip.c) ---- */

static void ipip_text(struct pbuf *pb, const struct dissect_result *r)
{
	const struct ipip_info *t = &r->u.ipip;

	if ((t->inner_ver != 4 && t->inner_ver != 6) || (t->outer_ver != 4 && t->outer_ver != 6))
		return;	/* no inner packet to name */
	pb_str(pb, t->proto == 47 ? " gre=" : " ipip=");
	pb_u(pb, t->inner_ver);
	pb_str(pb, "in");
	pb_u(pb, t->outer_ver);
	pb_str(pb, " inner ");
	pb_ip(pb, t->inner_ver, t->inner_src);
	pb_str(pb, " > ");
	pb_ip(pb, t->inner_ver, t->inner_dst);
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

static void ipip_json_all(struct jbuf *b, const struct dissect_result *res, int nres)
{
	const struct ipip_info *outer = NULL, *inner = NULL;
	int levels = 0;

	for (int i = 0; i < nres; i++) {
		if (res[i].by != &dissector_ipip || !findings_reportable(&res[i]))
			continue;
		if (!outer)
			outer = &res[i].u.ipip;
		inner = &res[i].u.ipip;
		levels++;
	}
	if (!outer)
		return;
	jopen(b, "ipip");
	json_ipip(b, outer, inner, levels);
	jclose(b);
}

/* ---- overlay tunnels (dissectors/vxlan.c, geneve.c, gtpu.c, erspan.c) ---- */

/* ` tunnel=KIND[:key=value...]`: one group per tunnel level, outermost first */
static void tunnel_text(struct pbuf *pb, const struct dissect_result *r)
{
	const struct tunnel_info *t = &r->u.tun;

	pb_str(pb, " tunnel=");
	pb_str(pb, r->by->name);
	switch (t->kind) {
	case TUN_VXLAN:
	case TUN_GENEVE:
		pb_str(pb, ":vni=");
		pb_u(pb, t->id);
		if (t->n_opts) {
			pb_str(pb, ":opts=");
			pb_u(pb, t->n_opts);
		}
		break;
	case TUN_GTPU:
		pb_str(pb, ":teid=0x");
		pb_hex(pb, t->id, 1);
		if (t->msg_type != 255) {
			pb_str(pb, ":msg=");
			pb_u(pb, t->msg_type);
		}
		break;
	case TUN_ERSPAN:
		pb_u(pb, t->version);
		if (t->version > 1) {
			pb_str(pb, ":session=");
			pb_u(pb, t->id);
		}
		break;
	}
}

static void tunnel_json(struct jbuf *b, const struct dissect_result *r)
{
	const struct tunnel_info *t = &r->u.tun;
	char a[64];

	jopen(b, r->by->name);
	addr_to_str(t->outer_ver, t->outer_src, a, sizeof(a));
	jstr(b, "outer_src", a);
	addr_to_str(t->outer_ver, t->outer_dst, a, sizeof(a));
	jstr(b, "outer_dst", a);
	switch (t->kind) {
	case TUN_VXLAN:
		jnum(b, "vni", t->id);
		jnum(b, "flags", t->flags);
		break;
	case TUN_GENEVE:
		jnum(b, "vni", t->id);
		jnum(b, "proto", t->proto);
		jnum(b, "options", t->n_opts);
		if (t->flags & 0x80)
			jbool(b, "oam", true);
		if (t->flags & 0x40)
			jbool(b, "critical", true);
		break;
	case TUN_GTPU:
		jnum(b, "teid", t->id);
		jnum(b, "msg_type", t->msg_type);
		break;
	case TUN_ERSPAN:
		jnum(b, "type", t->version);
		if (t->version > 1) {
			jnum(b, "session", t->id);
			jnum(b, "vlan", t->vlan);
		}
		break;
	}
	jclose(b);
}

/* The outermost result of this row's dissector (one object per dissector in a JSON line). */
#define TUNNEL_JSON(name)                                                                   \
	static void name##_json_all(struct jbuf *b, const struct dissect_result *res, int nres) \
	{                                                                                   \
		for (int i = 0; i < nres; i++)                                              \
			if (res[i].by == &dissector_##name && findings_reportable(&res[i])) { \
				tunnel_json(b, &res[i]);                                    \
				return;                                                     \
			}                                                                   \
	}
TUNNEL_JSON(vxlan)
TUNNEL_JSON(geneve)
TUNNEL_JSON(gtpu)
TUNNEL_JSON(erspan)

/* ---- DNS (dissectors/dns.c): tcpdump prints the message; JSON gets the answers ---- */

static void dns_json_all(struct jbuf *b, const struct dissect_result *res, int nres)
{
	char a[64];

	for (int i = 0; i < nres; i++) {
		const struct dns_info *d = &res[i].u.dns;

		if ((res[i].by != &dissector_dns && res[i].by != &dissector_dns_tcp) ||
		    !findings_reportable(&res[i]))
			continue;
		jopen(b, "dns");
		jnum(b, "id", d->id);
		jbool(b, "response", d->response);
		if (d->response)
			jnum(b, "rcode", d->rcode);
		if (d->qname[0])
			jstr(b, "qname", d->qname);
		if (d->n_answers) {
			jkey(b, "answers");
			jraw(b, "[");
			for (unsigned k = 0; k < d->n_answers; k++) {
				const struct dns_answer *an = &d->answers[k];

				jraw(b, k ? ",{" : "{");
				b->first = true;
				jstr(b, "name", an->name);
				jnum(b, "ttl", an->ttl);
				if (an->type == 5) {
					jstr(b, "cname", an->cname);
				} else {
					addr_to_str(an->type == 28 ? 6 : 4, an->addr, a, sizeof(a));
					jstr(b, an->type == 28 ? "aaaa" : "a", a);
				}
				jclose(b);
			}
			jraw(b, "]");
		}
		jclose(b);
	}
}

static const struct dns_info *dns_of(const struct dissect_result *r)
{
	return &r->u.dns;
}

/* ---- HTTP in decrypted TLS (dissectors/tls_flow.c, http1.c, http2.c) ---- */

static void http_text(struct pbuf *pb, const struct dissect_result *r)
{
	const struct http_info *h = &r->u.http;

	for (unsigned i = 0; i < h->n && i < HTTP_MSGS_MAX; i++) {
		const struct http_msg *m = &h->msg[i];

		if (m->version == 1) {
			pb_str(pb, " http=\"");
			if (m->response) {
				pb_str(pb, "HTTP/1.");
				pb_u(pb, m->minor);
				pb_ch(pb, ' ');
				pb_u(pb, m->status);
				if (m->reason[0]) {
					pb_ch(pb, ' ');
					pb_escaped(pb, m->reason, strlen(m->reason), true);
				}
			} else {
				pb_escaped(pb, m->method, strlen(m->method), true);
				pb_ch(pb, ' ');
				pb_escaped(pb, m->path, strlen(m->path), true);
				pb_str(pb, " HTTP/1.");
				pb_u(pb, m->minor);
			}
			pb_ch(pb, '"');
		} else {
			pb_str(pb, " http2=\"");
			if (m->response) {
				pb_u(pb, m->status);
			} else {
				pb_escaped(pb, m->method, strlen(m->method), true);
				pb_ch(pb, ' ');
				pb_escaped(pb, m->path, strlen(m->path), true);
			}
			pb_ch(pb, '"');
			pb_str(pb, " stream=");
			pb_u(pb, m->stream);
		}
		if (!m->response && m->authority[0]) {
			pb_str(pb, m->version == 1 ? " host=" : " authority=");
			pb_escaped(pb, m->authority, strlen(m->authority), false);
		}
	}
	if (h->dropped) {
		pb_str(pb, " http_more=");
		pb_u(pb, h->dropped);
	}
}

static void http_json_all(struct jbuf *b, const struct dissect_result *res, int nres)
{
	char v[16];

	for (int i = 0; i < nres; i++) {
		const struct http_info *h = &res[i].u.http;

		if (res[i].by != &dissector_tls_flow || !findings_reportable(&res[i]))
			continue;
		jopen(b, "http");
		snprintf(v, sizeof(v), "0x%04x", h->tls_version);
		jstr(b, "tls_version", v);
		snprintf(v, sizeof(v), "0x%04x", h->cipher);
		jstr(b, "cipher", v);
		jkey(b, "messages");
		jraw(b, "[");
		for (unsigned k = 0; k < h->n && k < HTTP_MSGS_MAX; k++) {
			const struct http_msg *m = &h->msg[k];

			jraw(b, k ? ",{" : "{");
			b->first = true;
			if (m->version == 1)
				snprintf(v, sizeof(v), "HTTP/1.%u", m->minor);
			jstr(b, "version", m->version == 1 ? v : "HTTP/2");
			if (m->version == 2)
				jnum(b, "stream", m->stream);
			if (m->response) {
				jnum(b, "status", m->status);
				if (m->reason[0])
					jstr(b, "reason", m->reason);
			} else {
				jstr(b, "method", m->method);
				jstr(b, "path", m->path);
				if (m->authority[0])
					jstr(b, m->version == 1 ? "host" : "authority", m->authority);
			}
			jclose(b);
		}
		jraw(b, "]");
		if (h->dropped)
			jnum(b, "more", h->dropped);
		jclose(b);
	}
}

void findings_names_text(struct pbuf *pb, const char *src_name, const char *dst_name)
{
	if (src_name) {
		pb_str(pb, " src_name=");
		pb_escaped(pb, src_name, strlen(src_name), false);
	}
	if (dst_name) {
		pb_str(pb, " dst_name=");
		pb_escaped(pb, dst_name, strlen(dst_name), false);
	}
}

/* ---- the table ---- */

static const struct findings_row rows[] = {
	{ .by = &dissector_tls, .text = tls_text, .json = tls_json_all,
	  .client_hello = tls_client_hello,
	  .strip = " tls( (sni|alpn|ja4|ech|version|malformed)=.*)?$" },
	{ .by = &dissector_quic, .text = quic_text, .json = quic_json_all,
	  .client_hello = quic_client_hello,
	  .strip = " quic=(v1|v2|draft29|0x[0-9a-f]+) dcid=.*$" },
	{ .by = &dissector_dtls, .text = dtls_text, .json = dtls_json_all,
	  .client_hello = tls_client_hello,
	  .strip = " dtls( (sni|alpn|ja4|ech|version|cookie|malformed)=.*)?$" },
	{ .by = &dissector_ipip, .text = ipip_text, .json = ipip_json_all,
	  .strip = " (ipip|gre)=[46]in[46] inner [0-9a-f:.]+ > [0-9a-f:.]+" },
	{ .by = &dissector_vxlan, .text = tunnel_text, .json = vxlan_json_all,
	  .strip = " tunnel=vxlan:vni=[0-9]+" },
	{ .by = &dissector_geneve, .text = tunnel_text, .json = geneve_json_all,
	  .strip = " tunnel=geneve:vni=[0-9]+(:opts=[0-9]+)?" },
	{ .by = &dissector_gtpu, .text = tunnel_text, .json = gtpu_json_all,
	  .strip = " tunnel=gtpu:teid=0x[0-9a-f]+(:msg=[0-9]+)?" },
	{ .by = &dissector_erspan, .text = tunnel_text, .json = erspan_json_all,
	  .strip = " tunnel=erspan[123](:session=[0-9]+)?" },
	{ .by = &dissector_dns, .json = dns_json_all, .dns = dns_of },	/* JSON: UDP and TCP */
	{ .by = &dissector_dns_tcp, .dns = dns_of },
	{ .by = &dissector_tls_flow, .text = http_text, .json = http_json_all,
	  .strip = " http2?=\".*$" },
};

#define N_ROWS (sizeof(rows) / sizeof(rows[0]))

static const struct findings_row *row_of(const struct dissector *d)
{
	for (size_t i = 0; i < N_ROWS; i++)
		if (rows[i].by == d)
			return &rows[i];
	return NULL;
}

void findings_text(struct pbuf *pb, const struct dissect_result *res, int nres)
{
	for (int i = 0; i < nres; i++) {
		const struct findings_row *row;

		if (findings_reportable(&res[i]) && (row = row_of(res[i].by)) && row->text)
			row->text(pb, &res[i]);
	}
}

void findings_json(struct jbuf *b, const struct dissect_result *res, int nres)
{
	for (size_t i = 0; i < N_ROWS; i++)
		if (rows[i].json)
			rows[i].json(b, res, nres);
}

const struct tls_info *findings_client_hello(const struct dissect_result *r)
{
	const struct findings_row *row = r->by ? row_of(r->by) : NULL;

	return row && row->client_hello ? row->client_hello(r) : NULL;
}

const struct dns_info *findings_dns(const struct dissect_result *r)
{
	const struct findings_row *row = r->by ? row_of(r->by) : NULL;

	return row && row->dns && findings_reportable(r) ? row->dns(r) : NULL;
}

void findings_print_strip_patterns(FILE *out)
{
	fprintf(out, "%s\n", " src_name=[^ ]+");	/* findings_names_text */
	fprintf(out, "%s\n", " dst_name=[^ ]+");
	for (size_t i = 0; i < N_ROWS; i++)
		if (rows[i].strip)
			fprintf(out, "%s\n", rows[i].strip);
}
