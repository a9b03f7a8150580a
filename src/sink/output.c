// SPDX-License-Identifier: BSD-3-Clause
/* The sinks (see output.h). Every packet is dissected once; the results feed the text line,
 * --json, --summary and the flow table that puts SNI/JA4 into the pcapng comment of every later
 * packet of the flow. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comment.h"
#include "dissect.h"
#include "dissect_ctx.h"
#include "events_out.h"
#include "findings.h"
#include "flowtab.h"
#include "flowview.h"
#include "json.h"
#include "names.h"
#include "leancomment.h"
#include "plot.h"
#include "tcpinfo.h"
#include "output.h"
#include "print.h"
#include "rotate.h"
#include "summary.h"
#include "tlskeys.h"
#include "util.h"

#define OUTPUT_MAX_IFACES (1 << 20)	/* -i any follows every interface ever seen */

struct out_iface {
	char *name;
	int linktype;
	uint64_t packets;	/* written on this interface: the ISB's isb_usrdeliv */
};

struct output {
	const struct options *o;
	FILE *text;			/* where text, JSON and summary lines go */
	struct print_ctx *pc;		/* tcpdump-style lines, NULL if not printing */
	bool json, summary;
	struct pcapng_out *w;		/* -w, NULL if none */
	struct dissect_ctx *dc;
	struct flowtab *flows;
	struct names *names;		/* addresses -> names from DNS answers and resolvers */
	struct name_rec *nrb;		/* NAMES_MAX records: scratch for Name Resolution Blocks */
	uint64_t nrb_file;		/* pcapng_out_file_no() that has every name so far */
	struct comment_cache *comments;	/* -w: procap comments of recent owners */
	struct tlskeys *keys;		/* TLS secrets (DSBs, --keylog-file); NULL if none */
	struct leancomment *lean;	/* -w: full or short comment (leancomment.h) */
	struct plot *plot;		/* --plot, NULL if not */
	struct flowview *fv;		/* --flows / --top, NULL if neither */
	struct events_out *events;	/* --events, NULL if not */
	struct out_iface *ifaces;	/* grows: veth churn on a container host */
	int n_ifaces, cap_ifaces;
	int err;			/* first sink error (-errno) */
	uint64_t packets;		/* taken by output_packet: --count */
};

struct output *output_open(const struct options *o)
{
	struct output *out = xcalloc(1, sizeof(*out));
	bool to_stdout_file = o->write_file && !strcmp(o->write_file, "-");

	out->o = o;
	/* With -w - the capture owns stdout; anything printed alongside goes to stderr. */
	out->text = to_stdout_file ? stderr : stdout;
	/* --flows and --top print connections instead of packets */
	bool packets = !o->flows && !o->top_secs;
	out->json = o->json && packets;
	out->summary = o->summary;
	if (o->count_only)	/* --count: nothing per packet, the number at the end */
		out->json = out->summary = false;
	if (!o->json && !o->summary && packets && !o->count_only && !o->plot_file &&
	    (!o->write_file || o->print))
		out->pc = print_new(o, out->text);
	if (o->write_file) {
		out->w = pcapng_out_open(o);
		if (!out->w) {
			print_free(out->pc);
			free(out);
			return NULL;
		}
		out->comments = comment_cache_new();
		out->lean = leancomment_new(o->full_comments);
	}
	if (tlskeys_wanted(o)) {
		out->keys = tlskeys_open(out->w, o->keylog_file);
		if (!out->keys) {
			pcapng_out_close(out->w);
			comment_cache_free(out->comments);
			leancomment_free(out->lean);
			print_free(out->pc);
			free(out);
			return NULL;
		}
	}
	out->dc = dissect_ctx_new();
	if (tls_secrets_expected(o))	/* connections are followed from their ClientHello */
		tls_decrypt_enable(out->dc);
	if (!packets)
		out->fv = flowview_new(o, out->text);
	if (o->events)
		out->events = events_out_new(out->text, o->json);
	out->flows = flowtab_new();
	if (o->plot_file)
		out->plot = plot_new(o->plot_file);
	out->names = names_new();
	if (out->w)
		out->nrb = xcalloc(NAMES_MAX, sizeof(*out->nrb));
	if (out->summary)
		summary_header(out->text);
	return out;
}

int output_add_interface(struct output *out, const char *ifname, int linktype, uint32_t snaplen)
{
	for (int i = 0; ifname && i < out->n_ifaces; i++)
		if (out->ifaces[i].name && !strcmp(out->ifaces[i].name, ifname) &&
		    out->ifaces[i].linktype == linktype)
			return i;
	if (out->n_ifaces >= OUTPUT_MAX_IFACES) {
		pr_warn("too many interfaces (more than %d)\n", OUTPUT_MAX_IFACES);
		return -1;
	}
	if (out->w) {
		struct pcapng_if_info ifi = {
			.name = ifname, .linktype = linktype, .snaplen = snaplen,
			.filter = out->o->filter,
		};
		int id = pcapng_out_add_interface(out->w, &ifi);
		if (id < 0) {
			out->err = id;
			return -1;
		}
	}
	if (out->n_ifaces == out->cap_ifaces) {
		out->cap_ifaces = out->cap_ifaces ? 2 * out->cap_ifaces : 16;
		out->ifaces = xrealloc(out->ifaces, (size_t)out->cap_ifaces * sizeof(*out->ifaces));
	}
	struct out_iface *ifc = &out->ifaces[out->n_ifaces];
	memset(ifc, 0, sizeof(*ifc));
	ifc->name = ifname ? xstrdup(ifname) : NULL;
	ifc->linktype = linktype;
	return out->n_ifaces++;
}

/* The ClientHello among the results, if any: its SNI and JA4 become the flow's. */
static const struct tls_info *client_hello(const struct dissect_result *res, int nres)
{
	for (int i = 0; i < nres; i++) {
		const struct tls_info *t = findings_client_hello(&res[i]);
		if (t && res[i].rc == DISSECT_OK)
			return t;
	}
	return NULL;
}

/* The pcapng comment of p: procap's Key: value lines when the packet carries process metadata;
 * otherwise the packet's own comment (kept untouched, as a conversion must), followed by the
 * flow's SNI/JA4 lines when known. Returns NULL for no comment; *clen gets its length. */
static const char *make_comment(struct output *out, const struct packet *p,
				const struct pkt_meta *m, const char *sni, const char *ja4, char *buf,
				size_t len, size_t *clen)
{
	if (p->procap_meta || p->proc.valid)
		return comment_format_cached(out->comments, p, sni, ja4,
					     !leancomment_full(out->lean, p, m->ip_ver ? m : NULL,
							       sni, ja4, pcapng_out_file_no(out->w)),
					     clen);
	bool have_flow = (sni && *sni) || (ja4 && *ja4);
	if (!have_flow || (p->comment && strstr(p->comment, "SNI: "))) {
		*clen = p->comment ? strlen(p->comment) : 0;
		return p->comment;
	}
	size_t n = 0;
	if (p->comment && *p->comment)
		n = (size_t)snprintf(buf, len, "%s\n", p->comment);
	if (n < len && sni && *sni)
		n += (size_t)snprintf(buf + n, len - n, "SNI: %s\n", sni);
	if (n < len && ja4 && *ja4)
		n += (size_t)snprintf(buf + n, len - n, "JA4: %s\n", ja4);
	if (n >= len)
		n = len - 1;
	if (n && buf[n - 1] == '\n')
		buf[--n] = 0;
	*clen = n;
	return buf;
}

/* Name Resolution Blocks: every name known so far into a new file (the first, or the next
 * after rotation), then each name as it is learned. */
static __attribute__((noinline)) int write_names(struct output *out, uint64_t file)
{
	size_t n;

	if (file != out->nrb_file) {
		while (names_take_new(out->names, out->nrb, NAMES_MAX))
			;	/* all of them go into this file now */
		out->nrb_file = file;
		n = names_all(out->names, out->nrb, NAMES_MAX);
	} else {
		n = names_take_new(out->names, out->nrb, NAMES_MAX);
	}
	return n ? pcapng_out_write_nrb(out->w, out->nrb, n) : 0;
}

/* asked for every packet written: nothing to do unless a name is new or the file is */
static inline int names_due(struct output *out)
{
	uint64_t file = pcapng_out_file_no(out->w);

	return file != out->nrb_file || names_have_new(out->names) ? write_names(out, file) : 0;
}

void output_name(struct output *out, uint8_t ver, const uint8_t *addr, const char *name,
		 int src)
{
	names_learn(out->names, ver, addr, name, (enum name_source)src);
}

int output_packet(struct output *out, struct packet *p)
{
	struct dissect_result res[DISSECT_MAX_RESULTS];
	struct pkt_meta m;
	int nres;

	if (out->err)
		return out->err;
	memset(&m, 0, sizeof(m));	/* dissect_packet keeps dir and ifindex */
	nres = dissect_packet(out->dc, p->linktype, p->data, p->cap_len, p->wire_len, p->ts_ns, &m,
			      res, DISSECT_MAX_RESULTS);
	if (nres < 0)
		nres = 0;

	const char *sni = NULL, *ja4 = NULL;
	for (int i = 0; i < nres; i++) {
		const struct dns_info *d = findings_dns(&res[i]);

		if (d)
			names_learn_dns(out->names, d);
	}
	p->src_name = p->dst_name = NULL;
	if (m.ip_ver && (out->pc || out->json || out->fv)) {	/* the sinks that show names */
		enum name_source ss = 0, ds = 0;

		p->src_name = names_lookup(out->names, m.ip_ver, m.src, &ss);
		p->dst_name = names_lookup(out->names, m.ip_ver, m.dst, &ds);
		p->src_name_source = (uint8_t)ss;
		p->dst_name_source = (uint8_t)ds;
	}
	if (m.ip_ver) {
		const struct tls_info *hello = client_hello(res, nres);
		if (hello)
			flowtab_put(out->flows, &m, hello->has_sni ? hello->sni : "", hello->ja4);
		if (out->w || out->plot)
			sni = flowtab_get(out->flows, &m, &ja4);
		if (out->plot)
			plot_add(out->plot, p, &m, sni);
	}

	if (out->w) {
		char buf[COMMENT_MAX];
		/* rotate first: each file starts every flow with its full comment */
		int prc = pcapng_out_prepare(out->w, p->ts_ns);
		if (prc)
			return prc == PCAPNG_OUT_LIMIT ? prc : (out->err = prc);
		int nrc = names_due(out);
		if (nrc)
			return out->err = nrc;
		size_t clen;
		const char *comment = make_comment(out, p, &m, sni, ja4, buf, sizeof(buf), &clen);
		char tcp_buf[COMMENT_MAX + TCPINFO_TEXT_MAX];
		if (p->has_tcp) {
			comment = tcpinfo_comment(comment, &p->tcp, tcp_buf, sizeof(tcp_buf));
			clen = comment ? strlen(comment) : 0;
		}
		int rc = out->keys ? tlskeys_packet(out->keys, p, comment) :
				     pcapng_out_write_packet(out->w, p, comment, clen);
		if (rc == PCAPNG_OUT_LIMIT)
			return rc;
		if (rc < 0) {
			out->err = rc;
			return rc;
		}
		if (p->if_id < (uint32_t)out->n_ifaces)
			out->ifaces[p->if_id].packets++;
	}
	if (out->pc)
		print_packet(out->pc, p, res, nres);
	if (out->json)
		json_packet(out->text, p, m.ip_ver ? &m : NULL, res, nres);
	if (out->summary && m.ip_ver)
		summary_packet(out->text, p, &m, res, nres);
	out->packets++;
	if (out->o->packet_buffered)	/* -U: each line leaves at once (tcpdump's -U with --print) */
		fflush(out->text);
	/* ferror() takes the stream lock: ask only when something was printed */
	if (out->fv)
		flowview_packet(out->fv, p, &m, res, nres);
	if ((out->pc || out->json || out->summary || out->fv) && ferror(out->text)) {
		/* stdout closed under us (procap ... | head): stop cleanly, files stay complete */
		out->err = errno == EPIPE || !errno ? -EPIPE : -errno;
		return out->err;
	}
	return 0;
}

void output_time(struct output *out, uint64_t now_ns)
{
	if (out->fv)
		flowview_tick(out->fv, now_ns);
}

void output_proc_event(struct output *out, const struct proc_event *ev)
{
	if (out->events)
		events_out_event(out->events, ev);
}

int output_tls_secrets(struct output *out, const char *text, size_t len,
		       const struct tlskeys_origin *origin)
{
	int rc;

	if (!out->err)		/* live decryption of the connections they belong to */
		tls_decrypt_add_keylog(out->dc, text, len);
	if (out->err || !out->keys)
		return out->err;
	rc = tlskeys_secrets(out->keys, text, len, origin);
	if (rc < 0)
		out->err = rc;
	return rc;
}

void output_set_secrets_source(struct output *out, void (*fn)(void *arg), void *arg)
{
	tls_decrypt_set_source(out->dc, fn, arg);
}

int output_tick(struct output *out)
{
	int rc;

	if (out->err || !out->keys)
		return out->err;
	rc = tlskeys_tick(out->keys);
	if (rc < 0)
		out->err = rc;
	return rc;
}

void output_flush(struct output *out)
{
	fflush(out->text);
	if (out->w)
		pcapng_out_flush(out->w);
}

int output_timer(struct output *out, uint64_t now_ns, int *timeout_ms)
{
	int rc = 0;

	if (out->err)
		return out->err;
	/* printed lines leave after every batch: `procap | grep` follows the capture */
	if (fflush(out->text) && errno == EPIPE)
		return out->err = -EPIPE;
	if (out->w)
		rc = pcapng_out_timer(out->w, now_ns, timeout_ms);
	if (rc < 0)
		out->err = rc;
	return rc;
}

int output_close(struct output *out, const struct capture_stats *st)
{
	if (!out)
		return 0;
	int rc = out->err;
	int krc = tlskeys_close(out->keys);	/* the packets still held, before the ISBs */
	if (krc < 0 && !rc)
		rc = krc;
	if (out->w) {
		for (int i = 0; i < out->n_ifaces; i++) {
			struct pcapng_if_stats is;
			pcapng_stats_init(&is);
			is.usrdeliv = out->ifaces[i].packets;
			/* The kernel counters are per capture, not per interface: they go into the
			 * statistics of the first interface (documented in the man page). */
			if (st && i == 0) {
				is.ifrecv = st->seen;
				is.filteraccept = st->filtered;
				is.ifdrop = st->dropped;
				is.osdrop = st->dropped;
			}
			int r = pcapng_out_write_stats(out->w, (uint32_t)i, &is);
			if (r < 0 && !rc)
				rc = r;
		}
		int r = pcapng_out_close(out->w);
		if (r < 0 && !rc)
			rc = r;
	}
	flowview_close(out->fv);
	events_out_close(out->events);
	int prc = plot_close(out->plot);
	if (prc < 0 && !rc)
		rc = prc;
	if (out->o->count_only)
		fprintf(out->text, "%llu packet%s\n", (unsigned long long)out->packets,
			out->packets == 1 ? "" : "s");
	if (fflush(out->text) && !rc)
		rc = errno ? -errno : -EIO;
	print_free(out->pc);
	dissect_ctx_free(out->dc);
	flowtab_free(out->flows);
	names_free(out->names);
	free(out->nrb);
	comment_cache_free(out->comments);
	leancomment_free(out->lean);
	for (int i = 0; i < out->n_ifaces; i++)
		free(out->ifaces[i].name);
	free(out->ifaces);
	free(out);
	return rc;
}
