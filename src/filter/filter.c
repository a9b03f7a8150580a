// SPDX-License-Identifier: BSD-3-Clause
/* The libpcap side of filters: pcap_compile() for the capture's link type, the reference
 * interpreter bpf_filter(), tcpdump's -d listing (bpf_image()), and the -d command itself. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* pcap.h and linux/bpf.h both define struct bpf_insn and struct bpf_program (classic vs eBPF):
 * rename libpcap's here, the eBPF ones keep their names. */
#define bpf_insn pcap_insn
#define bpf_program pcap_program
#include <pcap/pcap.h>
#include "filter_compile.h"	/* its struct bpf_program is pcap's: renamed too */
#undef bpf_insn
#undef bpf_program
#include <linux/bpf.h>
#include <linux/filter.h>

#include "cbpf.h"
#include "filter_int.h"
#include "opts.h"
#include "util.h"

#define DEFAULT_SNAPLEN	262144		/* tcpdump's */

struct filter_prog {
	char *expr;
	struct pcap_program classic;	/* libpcap's, for bpf_filter() and bpf_image() */
	struct sock_filter *c;		/* the same, as the translator's input */
	/* For Ethernet captures, the same expression compiled for raw IP, run on L3 devices
	 * (flag PROCAP_FILTER_L3); has_raw false when libpcap refuses it there ("ether host"):
	 * then nothing matches on those devices, as tcpdump would not start there. */
	struct pcap_program raw;
	bool has_raw, dispatch;
	struct bpf_insn *ebpf[2];	/* indexed by enum filter_ctx */
	size_t ebpf_cnt[2];
};

/* Classic program P (libpcap's struct) -> eBPF for CTX. */
static int xlate_pcap(const struct pcap_program *p, enum filter_ctx ctx, struct bpf_insn **out,
		      size_t *cnt, struct sock_filter **keep, char *why, size_t whylen)
{
	/* same layout, different struct names: copy field by field */
	struct sock_filter *c = xcalloc(p->bf_len ? p->bf_len : 1, sizeof(*c));
	int rc;

	for (u_int i = 0; i < p->bf_len; i++) {
		c[i].code = p->bf_insns[i].code;
		c[i].jt = p->bf_insns[i].jt;
		c[i].jf = p->bf_insns[i].jf;
		c[i].k = p->bf_insns[i].k;
	}
	rc = filter_xlate(c, p->bf_len, ctx, out, cnt, why, whylen);
	if (keep && !*keep)
		*keep = c;
	else
		free(c);
	return rc;
}

/* Body for CTX: the link-type program, and for Ethernet captures a dispatch on the stub's
 * flags argument (r2) to the raw-IP program for L3 devices:
 *	if w2 & PROCAP_FILTER_L3 goto raw; <Ethernet body>; raw: <raw-IP body or "return 0">
 * Both bodies end in exit and jump only inside themselves, so they concatenate as they are. */
static int translate_ctx(struct filter_prog *fp, enum filter_ctx ctx, char *why, size_t whylen)
{
	static const struct bpf_insn reject[2] = {
		{ .code = BPF_ALU | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	struct bpf_insn *eth = NULL, *raw = NULL;
	size_t neth = 0, nraw = 0;
	int rc = xlate_pcap(&fp->classic, ctx, &eth, &neth, &fp->c, why, whylen);

	if (rc || !fp->dispatch) {
		fp->ebpf[ctx] = eth;
		fp->ebpf_cnt[ctx] = neth;
		return rc;
	}
	if (fp->has_raw && (rc = xlate_pcap(&fp->raw, ctx, &raw, &nraw, NULL, why, whylen))) {
		free(eth);
		return rc;
	}
	if (!raw) {
		raw = xmalloc(sizeof(reject));
		memcpy(raw, reject, sizeof(reject));
		nraw = 2;
	}
	if (neth > INT16_MAX) {
		snprintf(why, whylen, "filter too large: %zu instructions", neth);
		free(eth);
		free(raw);
		return -EINVAL;
	}
	fp->ebpf_cnt[ctx] = 1 + neth + nraw;
	fp->ebpf[ctx] = xcalloc(fp->ebpf_cnt[ctx], sizeof(struct bpf_insn));
	fp->ebpf[ctx][0] = (struct bpf_insn){ .code = BPF_JMP32 | BPF_JSET | BPF_K, .dst_reg = 2,
					      .off = (int16_t)neth, .imm = FILTER_ARG_L3 };
	memcpy(fp->ebpf[ctx] + 1, eth, neth * sizeof(*eth));
	memcpy(fp->ebpf[ctx] + 1 + neth, raw, nraw * sizeof(*raw));
	free(eth);
	free(raw);
	return 0;
}

static int translate(struct filter_prog *fp, char *err, size_t errlen)
{
	char why[256];
	int rc = 0;

	for (int ctx = FILTER_CTX_SKB; ctx <= FILTER_CTX_XDP && !rc; ctx++) {
		rc = translate_ctx(fp, ctx, why, sizeof(why));
		if (rc)
			snprintf(err, errlen, "cannot translate filter '%s': %s", fp->expr, why);
	}
	if (!rc)
		filter_register_handlers();
	return rc;
}

int filter_compile(const char *expr, int linktype, uint32_t snaplen, struct filter_prog **out,
		   char *err, size_t errlen)
{
	struct filter_prog *fp = xcalloc(1, sizeof(*fp));
	pcap_t *p;

	*out = NULL;
	p = pcap_open_dead(linktype, (int)(snaplen ? snaplen : DEFAULT_SNAPLEN));
	if (!p) {
		snprintf(err, errlen, "cannot compile filter: pcap_open_dead failed");
		free(fp);
		return -ENOMEM;
	}
	if (filter_pcap_compile(p, &fp->classic, expr) < 0) {
		snprintf(err, errlen, "bad filter expression '%s': %s", expr, pcap_geterr(p));
		pcap_close(p);
		free(fp);
		return -EINVAL;
	}
	pcap_close(p);
	if (linktype == DLT_EN10MB) {
		p = pcap_open_dead(DLT_RAW, (int)(snaplen ? snaplen : DEFAULT_SNAPLEN));
		fp->dispatch = true;
		fp->has_raw = p && filter_pcap_compile(p, &fp->raw, expr) == 0;
		if (p)
			pcap_close(p);
	}
	fp->expr = xstrdup(expr);
	if (translate(fp, err, errlen)) {
		filter_free(fp);
		return -EINVAL;
	}
	*out = fp;
	return 0;
}

int filter_from_classic(const struct sock_filter *insns, size_t n, struct filter_prog **out,
			char *err, size_t errlen)
{
	struct filter_prog *fp = xcalloc(1, sizeof(*fp));

	fp->expr = xstrdup("(classic program)");
	fp->classic.bf_len = (u_int)n;
	fp->classic.bf_insns = xcalloc(n ? n : 1, sizeof(*fp->classic.bf_insns));
	for (size_t i = 0; i < n; i++) {
		fp->classic.bf_insns[i].code = insns[i].code;
		fp->classic.bf_insns[i].jt = insns[i].jt;
		fp->classic.bf_insns[i].jf = insns[i].jf;
		fp->classic.bf_insns[i].k = insns[i].k;
	}
	*out = NULL;
	if (translate(fp, err, errlen)) {
		filter_free(fp);
		return -EINVAL;
	}
	*out = fp;
	return 0;
}

const struct sock_filter *filter_classic_insns(const struct filter_prog *fp, size_t *cnt)
{
	*cnt = fp->classic.bf_len;
	return fp->c;
}

void filter_free(struct filter_prog *fp)
{
	if (!fp)
		return;
	pcap_freecode(&fp->classic);
	if (fp->has_raw)
		pcap_freecode(&fp->raw);
	free(fp->ebpf[FILTER_CTX_SKB]);
	free(fp->ebpf[FILTER_CTX_XDP]);
	free(fp->c);
	free(fp->expr);
	free(fp);
}

const struct bpf_insn *filter_insns(const struct filter_prog *fp, enum filter_ctx ctx,
				    size_t *cnt)
{
	*cnt = fp->ebpf_cnt[ctx];
	return fp->ebpf[ctx];
}

size_t filter_classic_len(const struct filter_prog *fp)
{
	return fp->classic.bf_len;
}

uint32_t filter_classic_run(const struct filter_prog *fp, const uint8_t *pkt, uint32_t caplen,
			    uint32_t wirelen)
{
	return bpf_filter(fp->classic.bf_insns, pkt, wirelen, caplen);
}

uint32_t filter_classic_run_l3(const struct filter_prog *fp, const uint8_t *pkt, uint32_t caplen,
			       uint32_t wirelen)
{
	if (!fp->dispatch)
		return filter_classic_run(fp, pkt, caplen, wirelen);
	return fp->has_raw ? bpf_filter(fp->raw.bf_insns, pkt, wirelen, caplen) : 0;
}

bool filter_classic_endless(const struct filter_prog *fp, bool l3, const uint8_t *pkt,
			    uint32_t caplen, uint32_t wirelen)
{
	const struct pcap_program *prog = l3 && fp->dispatch ? &fp->raw : &fp->classic;
	bool looped = false;

	if (l3 && fp->dispatch && !fp->has_raw)
		return false;
	cbpf_run(prog->bf_insns, prog->bf_len, pkt, wirelen, caplen, &looped);
	return looped;
}

/* ARPHRD_* of /sys/class/net/IF/type -> what TC/XDP programs see at offset 0. */
int filter_linktype_of(const char *ifname)
{
	char path[128];
	unsigned int type;
	FILE *f;
	int n;

	if (!ifname || !strcmp(ifname, "any"))
		return DLT_EN10MB;
	if (strchr(ifname, '/') || snprintf(path, sizeof(path), "/sys/class/net/%s/type", ifname) >=
	    (int)sizeof(path))
		return -EINVAL;
	f = fopen(path, "r");
	if (!f)
		return -ENODEV;
	n = fscanf(f, "%u", &type);
	fclose(f);
	if (n != 1)
		return -ENODEV;
	switch (type) {
	case 1:		/* ARPHRD_ETHER */
	case 772:	/* ARPHRD_LOOPBACK: an all-zero Ethernet header */
		return DLT_EN10MB;
	default:	/* tun, wireguard, ipip, sit, gre, ppp...: no link header at TC */
		return DLT_RAW;
	}
}

void filter_dump(FILE *out, const struct filter_prog *fp, enum filter_ctx ctx)
{
	size_t cnt;
	const struct bpf_insn *ins = filter_insns(fp, ctx, &cnt);

	for (u_int i = 0; i < fp->classic.bf_len; i++)
		fprintf(out, "%s\n", bpf_image(&fp->classic.bf_insns[i], (int)i));
	fprintf(out, "; eBPF body of procap_filter() at %s, %zu instructions",
		ctx == FILTER_CTX_XDP ? "XDP" : "TC", cnt);
	if (fp->dispatch)
		fprintf(out, " (from %03d: the expression compiled for raw IP, for L3 devices)",
			ins[0].off + 1);
	fputc('\n', out);
	filter_disasm(out, ins, cnt);
}

int filter_dump_main(const struct options *o)
{
	const char *ifname = o->n_ifaces ? o->ifaces[0] : NULL;
	int linktype = filter_linktype_of(ifname);
	struct filter_prog *fp;
	char err[512];

	if (linktype < 0) {
		pr_warn("%s: no such network interface\n", ifname);
		return 1;
	}
	if (filter_compile(o->filter ? o->filter : "", linktype, o->snaplen, &fp, err,
			   sizeof(err))) {
		pr_warn("%s\n", err);
		return 1;
	}
	if (o->dump_filter >= 2)	/* -dd, -ddd: tcpdump prints libpcap's forms, nothing else */
		bpf_dump(&fp->classic, o->dump_filter);
	else
		filter_dump(stdout, fp, o->xdp ? FILTER_CTX_XDP : FILTER_CTX_SKB);
	filter_free(fp);
	return fflush(stdout) ? 1 : 0;
}
