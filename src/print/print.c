// SPDX-License-Identifier: BSD-3-Clause
/* Text output: one tcpdump-identical line per packet (tcpdump 4.99, always numeric as with -n).
 *
 * Line layout (fields in this order, each present only when stated):
 *   "%5u  "            packet number, with -#
 *   TIMESTAMP " "      per -t flags (see print_ts.c); local time unless TZ says otherwise
 *   IFNAME " "         when the packet carries procap metadata (live capture, or a procap
 *   COMM "." PID " "     pcapng read back): interface, owning process (omitted when the owner
 *   "In " | "Out "       is unknown) and direction (omitted when unknown); a process in a
 *                        container has "@" CONTAINER after its PID: the Kubernetes POD "/"
 *                        CONTAINER, else the runtime's container name, else the first 12
 *                        digits of the container id (curl.4242@web, curl.4242@web-0/app)
 *   TCPDUMP TEXT       exactly what `tcpdump -n` prints for the packet with the same options
 *                      (-e -q -v -S ...); with -v it can span several lines
 *   PROCESS DETAILS    with -v and a known owner:
 *                        ` exe=PATH args="ARGV" ppid=N cgroup=PATH` and, in a container,
 *                        ` container=NAME container_id=ID12 image=IMAGE pod=NS/POD
 *                        pod_container=NAME` (each when known)
 *   FINDINGS           dissector results, ` key=value` pairs, one group per result:
 *     TLS ClientHello  ` tls sni=NAME alpn=P1,P2 ja4=JA4` (+ ` ech=1` when the hello carries
 *                      Encrypted Client Hello: then sni is the outer, public name)
 *     TLS ServerHello  ` tls version=0xVVVV cipher=0xCCCC`
 *     QUIC Initial     ` quic=v1|v2|draft29|0xVERSION dcid=HEX scid=HEX` then, when the
 *                      ClientHello was decrypted, ` sni=NAME alpn=... ja4=...` (+ ` ech=1`)
 *     IP-in-IP         ` ipip=4in4|6in4|4in6|6in6 inner SRC > DST` (GRE: ` gre=4in4 ...`),
 *                      one group per tunnel level
 *     A value that is absent is not printed (no sni= for a hello without SNI). Bytes outside
 *     0x21..0x7e in names are printed as \xNN, so a value never holds a space.
 *   DUMP               -x/-xx/-X/-XX/-A: tcpdump's hex/ASCII dump, after the findings
 *
 * Names are never resolved: without -n procap prints what `tcpdump -n` prints.
 * Each packet's text is assembled in one buffer and written with one fwrite. */
#include <stdlib.h>
#include <string.h>
#include <pcap/pcap.h>
#include "findings.h"
#include "linktype.h"
#include "print.h"
#include "print_int.h"
#include "tcpinfo.h"
#include "util.h"


struct print_ctx {
	const struct options *o;
	FILE *out;
	struct pbuf pb;
	struct print_ts_state ts;
	struct tcp_seq_table *tcp;
	int warned_linktype;		/* the undecoded link type stderr named, or -1 */
};

struct print_ctx *print_new(const struct options *o, FILE *out)
{
	struct print_ctx *pc = xcalloc(1, sizeof(*pc));

	pc->o = o;
	pc->out = out;
	pc->tcp = tcp_seq_new();
	pc->warned_linktype = -1;
	pb_grow(&pc->pb, 4096);
	return pc;
}

void print_free(struct print_ctx *pc)
{
	if (!pc)
		return;
	tcp_seq_free(pc->tcp);
	free(pc->pb.buf);
	free(pc);
}

static void pb_field(struct pbuf *pb, const char *key, const char *val, size_t size)
{
	if (!val[0])
		return;
	pb_str(pb, key);
	pb_escaped(pb, val, strnlen(val, size), false);
}

/* "@POD/CONTAINER", "@NAME" or "@ID12" (top of this file); nothing outside a container. */
static void container_tag(struct pbuf *pb, const struct proc_meta *m)
{
	const struct ctr_meta *c = &m->ctr;

	if (c->pod[0] && c->pod_ctr[0]) {
		pb_field(pb, "@", c->pod, sizeof(c->pod));
		pb_field(pb, "/", c->pod_ctr, sizeof(c->pod_ctr));
	} else if (c->name[0]) {
		pb_field(pb, "@", c->name, sizeof(c->name));
	} else if (m->container[0]) {
		pb_ch(pb, '@');
		pb_escaped(pb, m->container, strnlen(m->container, 12), false);
	}
}

static void proc_columns(struct pbuf *pb, const struct packet *p)
{
	if (p->ifname)	/* a file's if_name may hold anything */
		pb_escaped(pb, p->ifname, strlen(p->ifname), false);
	else
		pb_ch(pb, '?');
	pb_ch(pb, ' ');
	if (p->proc.valid) {
		pb_escaped(pb, p->proc.comm, strnlen(p->proc.comm, sizeof(p->proc.comm)), false);
		pb_ch(pb, '.');
		pb_u(pb, p->proc.pid);
		container_tag(pb, &p->proc);
		pb_ch(pb, ' ');
	}
	if (p->dir == PKT_DIR_IN)
		pb_str(pb, "In ");
	else if (p->dir == PKT_DIR_OUT)
		pb_str(pb, "Out ");
}

static void proc_details(struct pbuf *pb, const struct proc_meta *m)
{
	if (m->exe[0]) {
		pb_str(pb, " exe=");
		pb_escaped(pb, m->exe, strnlen(m->exe, sizeof(m->exe)), false);
	}
	if (m->args[0]) {
		pb_str(pb, " args=\"");
		pb_escaped(pb, m->args, strnlen(m->args, sizeof(m->args)), true);
		pb_ch(pb, '"');
	}
	pb_str(pb, " ppid=");
	pb_u(pb, m->ppid);
	if (m->cgroup[0]) {
		pb_str(pb, " cgroup=");
		pb_escaped(pb, m->cgroup, strnlen(m->cgroup, sizeof(m->cgroup)), false);
	}
	pb_field(pb, " container=", m->ctr.name, sizeof(m->ctr.name));
	if (m->container[0]) {
		pb_str(pb, " container_id=");
		pb_escaped(pb, m->container, strnlen(m->container, 12), false);
	}
	pb_field(pb, " image=", m->ctr.image, sizeof(m->ctr.image));
	if (m->ctr.pod[0]) {
		pb_field(pb, " pod=", m->ctr.pod_ns, sizeof(m->ctr.pod_ns));
		pb_field(pb, m->ctr.pod_ns[0] ? "/" : "", m->ctr.pod, sizeof(m->ctr.pod));
	}
	pb_field(pb, " pod_container=", m->ctr.pod_ctr, sizeof(m->ctr.pod_ctr));
}

/* The link types link_layer() has a printer for. */
static bool link_decoded(int linktype)
{
	switch (linktype) {
	case LT_ETHERNET:
	case LT_LINUX_SLL:
	case LT_LINUX_SLL2:
	case LT_RAW:
	case LT_DLT_RAW:
	case LT_DLT_RAW_BSD:
	case LT_IPV4:
	case LT_IPV6:
	case LT_NULL:
	case LT_PPP:
	case LT_LOOP:
		return true;
	default:
		return false;
	}
}

/* The tcpdump part; returns the link-header length the dumps skip without -xx/-XX. */
static unsigned link_layer(struct pstate *ps, const struct packet *p)
{
	struct cursor c = cur_init(p->data, p->cap_len);

	switch (p->linktype) {
	case LT_ETHERNET:
		return print_ether(ps, c, p->wire_len);
	case LT_LINUX_SLL:
		return print_sll(ps, c, p->wire_len);
	case LT_LINUX_SLL2:
		return print_sll2(ps, c, p->wire_len);
	case LT_RAW:
	case LT_DLT_RAW:
	case LT_DLT_RAW_BSD:
	case LT_IPV4:
	case LT_IPV6:
		return print_raw(ps, c, p->wire_len);
	case LT_NULL:
		return print_null(ps, c, p->wire_len, false);
	case LT_PPP:
		return print_ppp(ps, c, p->wire_len);
	case LT_LOOP:
		return print_null(ps, c, p->wire_len, true);
	default:
		/* what tcpdump prints for a link type it has no printer for: the word and the
		 * frame as hex and ASCII (-x/-X dump the whole frame again) */
		pb_str(ps->pb, "UNSUPPORTED");
		print_hex_ascii(ps->pb, p->data, p->cap_len);
		return 0;
	}
}

/* tcpdump's sanity checks on the record lengths: such a packet gets only this line. */
#define MAXIMUM_SNAPLEN 262144u

static bool invalid_header(struct pbuf *pb, const struct packet *p)
{
	bool bad = false;

	if (p->cap_len == 0) {
		bad = true;
		pb_str(pb, "[Invalid header: caplen==0");
	}
	if (p->wire_len == 0) {
		pb_str(pb, bad ? "," : "[Invalid header:");
		bad = true;
		pb_str(pb, " len==0");
	} else if (p->wire_len < p->cap_len) {
		pb_str(pb, bad ? "," : "[Invalid header:");
		bad = true;
		pb_printf(pb, " len(%u) < caplen(%u)", p->wire_len, p->cap_len);
	}
	if (p->cap_len > MAXIMUM_SNAPLEN) {
		pb_str(pb, bad ? "," : "[Invalid header:");
		bad = true;
		pb_printf(pb, " caplen(%u) > %u", p->cap_len, MAXIMUM_SNAPLEN);
	}
	if (p->wire_len > MAXIMUM_SNAPLEN) {
		pb_str(pb, bad ? "," : "[Invalid header:");
		bad = true;
		pb_printf(pb, " len(%u) > %u", p->wire_len, MAXIMUM_SNAPLEN);
	}
	if (bad)
		pb_str(pb, "]\n");
	return bad;
}

void print_packet(struct print_ctx *pc, const struct packet *p, const struct dissect_result *res,
		  int nres)
{
	const struct options *o = pc->o;
	struct pbuf *pb = &pc->pb;
	struct pstate ps = { .pb = pb, .o = o, .tcp = pc->tcp };
	unsigned hdrlen;

	pb->len = 0;
	if (o->number) {
		char num[24];
		int n = snprintf(num, sizeof(num), "%5llu  ", (unsigned long long)p->number);

		pb_mem(pb, num, (size_t)n);
	}
	if (invalid_header(pb, p)) {
		fwrite(pb->buf, 1, pb->len, pc->out);
		return;
	}
	print_timestamp(pb, o->tflag, o->nano, p->ts_ns, p->ts_subsec_over_ns, &pc->ts);
	if (p->procap_meta)
		proc_columns(pb, p);
	hdrlen = link_layer(&ps, p);
	if (!link_decoded(p->linktype) && pc->warned_linktype != p->linktype) {
		const char *name = pcap_datalink_val_to_name(p->linktype);

		pc->warned_linktype = p->linktype;
		fprintf(stderr, "procap: link type %d (%s) is not decoded\n", p->linktype,
			name ? name : "unknown");
	}
	if (ps.truncated)
		hdrlen = 0;
	if (p->procap_meta && o->vflag && p->proc.valid)
		proc_details(pb, &p->proc);
	findings_text(pb, res, nres);
	if (o->vflag)
		findings_names_text(pb, p->src_name, p->dst_name);
	if (p->has_tcp)
		tcpinfo_text(pb, &p->tcp);

	if (o->Xflag || o->xflag || o->Aflag) {
		bool whole = o->Xflag ? o->Xflag > 1 : o->xflag ? o->xflag > 1 : false;
		const uint8_t *d = p->data;
		size_t n = p->cap_len;

		if (!whole) {
			if (hdrlen >= n)
				n = 0;
			else {
				d += hdrlen;
				n -= hdrlen;
			}
		}
		if (n) {
			if (o->Xflag)
				print_hex_ascii(pb, d, n);
			else if (o->xflag)
				print_hex(pb, d, n);
			else
				print_ascii(pb, d, n);
		}
	}
	pb_ch(pb, '\n');
	fwrite(pb->buf, 1, pb->len, pc->out);
}
