// SPDX-License-Identifier: BSD-3-Clause
/* Flow records (see flows_out.h). Directions are from the flow's src: ">" columns and src_*
 * keys count what src sent, "<" and dst_* what dst sent. */
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "comment.h"
#include "flows_out.h"
#include "termsafe.h"
#include "jbuf.h"
#include "json.h"

#define NS	UINT64_C(1000000000)

void time_of_day(uint64_t ts_ns, char *buf, size_t len)
{
	time_t sec = (time_t)(ts_ns / NS);
	struct tm tm;

	localtime_r(&sec, &tm);
	size_t n = strftime(buf, len, "%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%06" PRIu64, ts_ns % NS / 1000);
}

static bool has_ports(uint8_t proto)
{
	return proto == 6 || proto == 17 || proto == 132;
}

void flow_endpoint(char *buf, size_t len, uint8_t ver, const uint8_t *addr, uint16_t port,
		   uint8_t proto)
{
	char a[64];

	addr_to_str(ver, addr, a, sizeof(a));
	if (!has_ports(proto))
		snprintf(buf, len, "%s", a);
	else if (ver == 6)
		snprintf(buf, len, "[%s]:%u", a, port);
	else
		snprintf(buf, len, "%s:%u", a, port);
}

const char *flow_proto_name(uint8_t proto, char *buf, size_t len)
{
	switch (proto) {
	case 1: return "icmp";
	case 6: return "tcp";
	case 17: return "udp";
	case 58: return "icmp6";
	case 132: return "sctp";
	default:
		snprintf(buf, len, "%u", proto);
		return buf;
	}
}

void flow_text_header(FILE *out)
{
	fprintf(out, "%-15s %-15s %-7s %-15s %-5s %-25s %-25s %7s %10s %7s %10s %15s %-7s %4s %s\n",
		"START", "END", "PID", "COMM", "PROTO", "SRC", "DST", "PKTS>", "BYTES>", "PKTS<",
		"BYTES<", "DURATION", "ENDED", "RETX", "FINDINGS");
}

void flow_text(FILE *out, const struct flow *f)
{
	char t0[32], t1[32], pid[12], src[72], dst[72], pn[8], retx[24], info[1800];
	uint64_t dur = f->last_ns - f->first_ns;
	size_t n = 0;

	time_of_day(f->first_ns, t0, sizeof(t0));
	time_of_day(f->last_ns, t1, sizeof(t1));
	snprintf(pid, sizeof(pid), f->owner.valid ? "%u" : "-", f->owner.pid);
	snprintf(retx, sizeof(retx), f->proto == 6 ? "%" PRIu64 : "-", f->retrans);
	flow_endpoint(src, sizeof(src), f->ver, f->src, f->sport, f->proto);
	flow_endpoint(dst, sizeof(dst), f->ver, f->dst, f->dport, f->proto);
	info[0] = 0;
	if (f->hello) {
		n += (size_t)snprintf(info + n, sizeof(info) - n, " %s", f->hello->by);
		if (f->hello->sni[0])
			n += (size_t)snprintf(info + n, sizeof(info) - n, " sni=%s", f->hello->sni);
		if (n < sizeof(info) && f->hello->alpn[0])
			n += (size_t)snprintf(info + n, sizeof(info) - n, " alpn=%s", f->hello->alpn);
		if (n < sizeof(info) && f->hello->ja4[0])
			n += (size_t)snprintf(info + n, sizeof(info) - n, " ja4=%s", f->hello->ja4);
	}
	if (n < sizeof(info) && f->dst_name)
		n += (size_t)snprintf(info + n, sizeof(info) - n, " name=%s",
				      TERM_SAFE(f->dst_name, DNS_NAME_MAX));
	if (n < sizeof(info) && f->owner.container[0])
		snprintf(info + n, sizeof(info) - n, " container=%.12s",
			 TERM_SAFE(f->owner.container, sizeof(f->owner.container)));
	fprintf(out, "%-15s %-15s %-7s %-15s %-5s %-25s %-25s %7" PRIu64 " %10" PRIu64 " %7" PRIu64
		" %10" PRIu64 " %8" PRIu64 ".%06" PRIu64 " %-7s %4s %s\n", t0, t1, pid,
		f->owner.valid ? TERM_SAFE(f->owner.comm, sizeof(f->owner.comm)) : "-",
		flow_proto_name(f->proto, pn, sizeof(pn)), src,
		dst, f->packets[0], f->bytes[0], f->packets[1], f->bytes[1], dur / NS,
		dur % NS / 1000, flow_end_name((enum flow_end)f->end), retx,
		info[0] ? info + 1 : "-");
}

static void jtime(struct jbuf *b, const char *key, uint64_t ns)
{
	jkey(b, key);
	jraw(b, "%" PRIu64 ".%09" PRIu64, ns / NS, ns % NS);
}

void flow_json(FILE *out, const struct flow *f)
{
	struct jbuf b = { .n = 0, .first = true };
	char a[64], pn[8];

	jraw(&b, "{");
	jstr(&b, "type", "flow");
	jtime(&b, "start", f->first_ns);
	jtime(&b, "end", f->last_ns);
	jtime(&b, "duration", f->last_ns - f->first_ns);
	jstr(&b, "proto", flow_proto_name(f->proto, pn, sizeof(pn)));
	addr_to_str(f->ver, f->src, a, sizeof(a));
	jstr(&b, "src", a);
	addr_to_str(f->ver, f->dst, a, sizeof(a));
	jstr(&b, "dst", a);
	jnum(&b, "sport", f->sport);	/* 0 for protocols without ports */
	jnum(&b, "dport", f->dport);
	jnum(&b, "packets", f->packets[0] + f->packets[1]);
	jnum(&b, "bytes", f->bytes[0] + f->bytes[1]);
	jnum(&b, "src_packets", f->packets[0]);
	jnum(&b, "src_bytes", f->bytes[0]);
	jnum(&b, "dst_packets", f->packets[1]);
	jnum(&b, "dst_bytes", f->bytes[1]);
	/* pid and comm always (null: no owner known), so every record has the same keys */
	if (f->owner.valid) {
		jnum(&b, "pid", f->owner.pid);
		jstr(&b, "comm", f->owner.comm);
		if (f->owner.uid != COMMENT_UID_UNKNOWN)
			jnum(&b, "uid", f->owner.uid);
		if (f->owner.container[0])
			jstr(&b, "container", f->owner.container);
	} else {
		jkey(&b, "pid");
		jraw(&b, "null");
		jkey(&b, "comm");
		jraw(&b, "null");
	}
	jstr(&b, "ended", flow_end_name((enum flow_end)f->end));
	if (f->dst_name)
		jstr(&b, "dst_name", f->dst_name);
	if (f->proto == 6)
		jnum(&b, "retransmissions", f->retrans);
	if (f->hello) {
		jopen(&b, f->hello->by);
		if (f->hello->sni[0])
			jstr(&b, "sni", f->hello->sni);
		if (f->hello->alpn[0])
			jstr(&b, "alpn", f->hello->alpn);
		if (f->hello->ja4[0])
			jstr(&b, "ja4", f->hello->ja4);
		jclose(&b);
	}
	jraw(&b, "}\n");
	fwrite(b.s, 1, b.n, out);
}
