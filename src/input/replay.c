// SPDX-License-Identifier: BSD-3-Clause
/* -r FILE: read a pcap/pcapng file and send every packet through the same sinks as a live
 * capture. An optional filter expression is compiled by libpcap per link type and run with
 * the bounded interpreter of cbpf.c, so `procap -r F EXPR` selects what `tcpdump -r F EXPR`
 * selects. */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comment.h"
#include "filter_compile.h"
#include "names.h"
#include "output.h"
#include "privs.h"
#include "procmatch.h"
#include "cbpf.h"
#include "reader.h"
#include "run.h"
#include "util.h"

struct replay_iface {
	int out_id;			/* id from output_add_interface, -1 until declared */
	struct bpf_program prog;	/* the filter for its link type (replay.filters owns it) */
	bool has_prog;
};

/* The filter compiled for one kind of interface: a file of 65,536 IDBs of one link type
 * compiles it once, not 65,536 times. */
struct compiled_filter {
	int linktype;
	uint32_t snaplen;
	bool swapped;
	struct bpf_program prog;
};

struct replay {
	const struct options *o;
	struct reader *r;
	struct output *out;
	struct replay_iface *ifs;
	uint32_t n_ifs;
	struct compiled_filter *filters;	/* one per (link type, snaplen, byte order) */
	uint32_t n_filters;
	struct procmatch *pm;		/* process filters, NULL if none */
};

/* A libpcap handle that looks like tcpdump's when it reads the file: a savefile of this
 * link type, snaplen and byte order. (pcap_open_dead is not the same: for DLT_NULL libpcap then
 * matches only this host's AF_INET6 value, while for a file it accepts the BSD values in the
 * file's byte order.) The savefile is a 24-byte pcap header in memory; libpcap maps the
 * LINKTYPE to its DLT itself. */
static void put_field(uint8_t *dst, uint32_t v, int size, bool big_endian)
{
	for (int i = 0; i < size; i++)
		dst[i] = (uint8_t)(v >> (big_endian ? 8 * (size - 1 - i) : 8 * i));
}

static pcap_t *filter_handle(int linktype, uint32_t snaplen, bool swapped)
{
	char err[PCAP_ERRBUF_SIZE];
	uint8_t hdr[24];
	pcap_t *pc = NULL;
	/* host byte order, or the other one when the file's was */
	bool be = (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__) != swapped;

	put_field(hdr, 0xa1b2c3d4, 4, be);
	put_field(hdr + 4, 2, 2, be);		/* version 2.4 */
	put_field(hdr + 6, 4, 2, be);
	put_field(hdr + 8, 0, 4, be);
	put_field(hdr + 12, 0, 4, be);
	put_field(hdr + 16, snaplen ? snaplen : 262144, 4, be);
	put_field(hdr + 20, (uint32_t)linktype, 4, be);
	FILE *f = fmemopen(hdr, sizeof(hdr), "rb");
	if (f) {
		pc = pcap_fopen_offline(f, err);	/* owns f from here on */
		if (!pc)
			fclose(f);
	}
	return pc ? pc : pcap_open_dead(linktype, snaplen ? (int)snaplen : 262144);
}

static int compile_filter(const char *expr, const struct reader_iface *ri,
			  struct bpf_program *prog)
{
	pcap_t *pc = filter_handle(ri->linktype, ri->snaplen, ri->swapped);
	int rc = 0;

	if (!pc) {
		pr_warn("bad filter expression '%s': out of memory\n", expr);
		return -1;
	}
	if (filter_pcap_compile(pc, prog, expr) < 0) {
		pr_warn("bad filter expression '%s': %s\n", expr, pcap_geterr(pc));
		rc = -1;
	}
	pcap_close(pc);
	return rc;
}

/* The filter for interfaces like ri, compiled the first time one is met. NULL on error. */
static const struct bpf_program *filter_for(struct replay *rp, const struct reader_iface *ri)
{
	struct compiled_filter *cf;

	for (uint32_t i = 0; i < rp->n_filters; i++) {
		cf = &rp->filters[i];
		if (cf->linktype == ri->linktype && cf->snaplen == ri->snaplen &&
		    cf->swapped == ri->swapped)
			return &cf->prog;
	}
	rp->filters = xrealloc(rp->filters, (rp->n_filters + 1) * sizeof(*rp->filters));
	cf = &rp->filters[rp->n_filters];
	memset(cf, 0, sizeof(*cf));
	if (compile_filter(rp->o->filter, ri, &cf->prog))
		return NULL;
	cf->linktype = ri->linktype;
	cf->snaplen = ri->snaplen;
	cf->swapped = ri->swapped;
	rp->n_filters++;
	return &cf->prog;
}

/* Tracks interfaces the reader has met so far; gives each its link type's filter. */
static int grow_ifaces(struct replay *rp)
{
	uint32_t n = reader_n_interfaces(rp->r);

	if (n <= rp->n_ifs)
		return 0;
	rp->ifs = xrealloc(rp->ifs, n * sizeof(*rp->ifs));
	for (uint32_t i = rp->n_ifs; i < n; i++) {
		const struct reader_iface *ri = reader_interface(rp->r, i);
		struct replay_iface *ifc = &rp->ifs[i];

		memset(ifc, 0, sizeof(*ifc));
		ifc->out_id = -1;
		rp->n_ifs = i + 1;
		if (rp->o->filter) {
			const struct bpf_program *prog = filter_for(rp, ri);

			if (!prog)
				return -1;
			ifc->prog = *prog;	/* shared: freed with rp->filters */
			ifc->has_prog = true;
		}
	}
	return 0;
}

/* Declares every known interface to the sinks, in file order (pcapng IDB order). */
static int declare_ifaces(struct replay *rp)
{
	for (uint32_t i = 0; i < rp->n_ifs; i++) {
		const struct reader_iface *ri = reader_interface(rp->r, i);
		if (rp->ifs[i].out_id >= 0)
			continue;
		rp->ifs[i].out_id = output_add_interface(rp->out, ri->name, ri->linktype, ri->snaplen);
		if (rp->ifs[i].out_id < 0)
			return -1;
	}
	return 0;
}

static bool selected(const struct replay_iface *ifc, const struct packet *p)
{
	if (!ifc->has_prog)
		return true;
	/* not pcap_offline_filter(): libpcap's interpreter never returns on some crafted packets
	 * (protochain); ours has a step budget and otherwise gives the same verdicts */
	return cbpf_run(ifc->prog.bf_insns, ifc->prog.bf_len, p->data, p->wire_len, p->cap_len,
			NULL) != 0;
}

static void free_ifaces(struct replay *rp)
{
	for (uint32_t i = 0; i < rp->n_filters; i++)
		pcap_freecode(&rp->filters[i].prog);
	free(rp->filters);
	free(rp->ifs);
}

/* The loop; returns the exit code. rc is the result of the first reader_next(). */
static int replay_loop(struct replay *rp, struct packet *p, int rc)
{
	const struct options *o = rp->o;
	long delivered = 0;

	for (;; rc = reader_next(rp->r, p)) {
		if (grow_ifaces(rp) || declare_ifaces(rp))
			return 1;
		if (rc == 0)
			return 0;
		if (rc < 0 && stop_requested)
			return 0;	/* ^C interrupted a read from a pipe: a normal stop */
		if (rc < 0) {
			pr_warn("%s: %s\n", o->read_file, reader_error(rp->r));
			return 1;
		}
		const char *secrets;
		size_t n_secrets = reader_take_secrets(rp->r, &secrets);
		if (n_secrets)	/* DSBs before this packet: live decryption on replay */
			output_tls_secrets(rp->out, secrets, n_secrets, NULL);
		const struct name_rec *names;
		size_t n_names = reader_take_names(rp->r, &names);
		for (size_t i = 0; i < n_names; i++)	/* NRBs before this packet */
			output_name(rp->out, names[i].ver, names[i].addr, names[i].name, NAME_SRC_FILE);
		if (!selected(&rp->ifs[p->if_id], p))
			continue;
		p->if_id = (uint32_t)rp->ifs[p->if_id].out_id;
		if (p->comment)
			comment_parse(p->comment, p);
		reader_owner_from_options(rp->r, p);
		if (rp->pm && !procmatch_packet(rp->pm, p))
			continue;
		p->number = (uint64_t)++delivered;
		if (o->no_args)	/* --no-args: a command line read from the file goes no further */
			p->proc.args[0] = 0;
		int orc = output_packet(rp->out, p);
		if (orc == -EPIPE)
			return 0;	/* the reader of our stdout went away: tcpdump exits 0 too */
		if (orc < 0)
			return 1;
		if (orc > 0 || (o->count && delivered >= o->count) || stop_requested)
			return 0;
	}
}

int replay_run(const struct options *o)
{
	struct replay rp = { .o = o };
	struct packet p;
	char err[256];
	int code, rc;

	rp.r = reader_open(o->read_file, err, sizeof(err));
	if (!rp.r && stop_requested)
		return 0;	/* ^C while waiting for the first bytes of a pipe */
	if (!rp.r) {
		pr_warn("%s: %s\n", o->read_file, err);
		return 1;
	}
	if (procmatch_wanted(o) && reader_format(rp.r) == READER_PCAP) {
		pr_warn("%s: process filters need the process data of a pcapng file procap wrote; "
			"this is a pcap file\n", o->read_file);
		reader_close(rp.r);
		return 1;
	}
	/* -Z: the input is open; every file from here on is created as the user (tcpdump) */
	if (privs_drop(o->user, false)) {
		reader_close(rp.r);
		return 1;
	}
	if (procmatch_wanted(o))
		rp.pm = procmatch_new(o);
	/* Read the first packet before opening the sinks: its interfaces are then known, so a
	 * bad filter expression fails before any -w file is created. */
	memset(&p, 0, sizeof(p));
	rc = reader_next(rp.r, &p);
	if (grow_ifaces(&rp)) {
		code = 1;
		goto out;
	}
	if (o->filter && rp.n_ifs == 0) {
		/* no interface at all: still check the syntax */
		struct reader_iface eth = { .linktype = DLT_EN10MB };
		struct bpf_program prog;
		if (compile_filter(o->filter, &eth, &prog)) {
			code = 1;
			goto out;
		}
		pcap_freecode(&prog);
	}
	rp.out = output_open(o);
	if (!rp.out) {
		code = 1;
		goto out;
	}
	code = replay_loop(&rp, &p, rc);
	if (rp.pm && !procmatch_owned(rp.pm) && !code)
		pr_warn("%s: no packet names its process (no procap comment or "
			"epb_processid_threadid): the process filters selected nothing\n",
			o->read_file);
	int crc = output_close(rp.out, NULL);
	if (crc < 0 && crc != -EPIPE)
		code = 1;
out:
	procmatch_free(rp.pm);
	free_ifaces(&rp);
	reader_close(rp.r);
	return code;
}
