// SPDX-License-Identifier: BSD-3-Clause
/* --json: one object per packet per line. Stable keys (documented in man/procap.8):
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
#include "findings.h"
#include "json.h"
#include "names.h"
#include "tcpinfo.h"

void addr_to_str(uint8_t ver, const uint8_t *a, char *out, size_t len)
{
	if (!inet_ntop(ver == 6 ? AF_INET6 : AF_INET, a, out, (socklen_t)len))
		snprintf(out, len, "?");
}

static const char *const owner_names[] = { "none", "cookie", "tuple", "proc", "comm" };

/* enum name_source as JSON says it */
static const char *name_source(uint8_t src)
{
	return src == NAME_SRC_RESOLVER ? "resolver" : src == NAME_SRC_FILE ? "file" : "dns";
}

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
		/* the container's names (src/live/container.h), each when known */
		static const struct {
			const char *key;
			size_t off;
		} ctr_keys[] = {
			{ "container_name", offsetof(struct ctr_meta, name) },
			{ "image", offsetof(struct ctr_meta, image) },
			{ "pod", offsetof(struct ctr_meta, pod) },
			{ "pod_namespace", offsetof(struct ctr_meta, pod_ns) },
			{ "pod_container", offsetof(struct ctr_meta, pod_ctr) },
		};
		for (size_t i = 0; i < sizeof(ctr_keys) / sizeof(ctr_keys[0]); i++) {
			const char *v = (const char *)&p->proc.ctr + ctr_keys[i].off;
			if (v[0])
				jstr(&b, ctr_keys[i].key, v);
		}
	}
	if (p->procap_meta && p->proc.source < sizeof(owner_names) / sizeof(owner_names[0]))
		jstr(&b, "owner_source", owner_names[p->proc.source]);
	if (p->peer.valid) {	/* the receiving local process (procap(8) ATTRIBUTION) */
		jopen(&b, "peer");
		jnum(&b, "pid", p->peer.pid);
		jnum(&b, "tid", p->peer.tid);
		jstr(&b, "comm", p->peer.comm);
		if (p->peer.exe[0])
			jstr(&b, "exe", p->peer.exe);
		if (p->peer.container[0])
			jstr(&b, "container", p->peer.container);
		jclose(&b);
	}
	if (m && (m->ip_ver == 4 || m->ip_ver == 6)) {
		addr_to_str(m->ip_ver, m->src, a, sizeof(a));
		jstr(&b, "src", a);
		addr_to_str(m->ip_ver, m->dst, a, sizeof(a));
		jstr(&b, "dst", a);
		if (p->src_name) {
			jstr(&b, "src_name", p->src_name);
			jstr(&b, "src_name_source", name_source(p->src_name_source));
		}
		if (p->dst_name) {
			jstr(&b, "dst_name", p->dst_name);
			jstr(&b, "dst_name_source", name_source(p->dst_name_source));
		}
		if (p->has_tcp)
			tcpinfo_json(&b, &p->tcp);
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
	findings_json(&b, res, nres);
	jraw(&b, "}\n");
	fwrite(b.s, 1, b.n, out);
}
