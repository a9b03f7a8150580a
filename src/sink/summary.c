// SPDX-License-Identifier: BSD-3-Clause
/* --summary: one line per TLS/QUIC ClientHello (see summary.h). Addresses are the innermost
 * ones dissect_packet() saw, so a hello inside a tunnel shows the tunnelled endpoints. */
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "findings.h"
#include "json.h"
#include "termsafe.h"
#include "summary.h"

void summary_header(FILE *out)
{
	fprintf(out, "%-15s %-7s %-15s %-39s %-39s %-5s %-30s %s\n", "TIME", "PID", "COMM", "SRC",
		"DST", "PROTO", "SNI", "JA4");
}

static void endpoint(char *out, size_t len, const struct pkt_meta *m, const uint8_t *a,
		     uint16_t port)
{
	char s[64];
	addr_to_str(m->ip_ver, a, s, sizeof(s));
	if (m->ip_ver == 6)
		snprintf(out, len, "[%s]:%u", s, port);
	else
		snprintf(out, len, "%s:%u", s, port);
}

int summary_packet(FILE *out, const struct packet *p, const struct pkt_meta *m,
		   const struct dissect_result *res, int nres)
{
	int printed = 0;

	for (int i = 0; i < nres; i++) {
		const struct tls_info *t = findings_client_hello(&res[i]);
		if (!t || (res[i].rc != DISSECT_OK && res[i].rc != DISSECT_TRUNCATED))
			continue;
		const char *proto = res[i].by->name;	/* the dissector's tag: "tls", "quic" */
		char tbuf[32], pid[16], src[72], dst[72];
		time_t sec = (time_t)(p->ts_ns / 1000000000u);
		struct tm tm;
		localtime_r(&sec, &tm);
		size_t n = strftime(tbuf, sizeof(tbuf), "%H:%M:%S", &tm);
		snprintf(tbuf + n, sizeof(tbuf) - n, ".%06" PRIu64, p->ts_ns % 1000000000u / 1000);
		if (p->proc.valid)
			snprintf(pid, sizeof(pid), "%u", p->proc.pid);
		else
			snprintf(pid, sizeof(pid), "-");
		endpoint(src, sizeof(src), m, m->src, m->sport);
		endpoint(dst, sizeof(dst), m, m->dst, m->dport);
		fprintf(out, "%-15s %-7s %-15s %-39s %-39s %-5s %-30s %s\n", tbuf, pid,
			p->proc.valid ? TERM_SAFE(p->proc.comm, sizeof(p->proc.comm)) : "-", src, dst, proto,
			t->has_sni ? t->sni : "-", t->ja4[0] ? t->ja4 : "-");
		printed++;
	}
	return printed;
}
