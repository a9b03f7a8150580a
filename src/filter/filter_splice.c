// SPDX-License-Identifier: BSD-3-Clause
/* Splices the translated filter into the capture programs while libbpf loads them.
 *
 * libbpf 1.1 has one hook between "instructions final" (CO-RE relocated, subprograms appended)
 * and BPF_PROG_LOAD: a SEC() handler's prog_prepare_load_fn. procap registers handlers for
 * SEC("tc"), SEC("xdp") and SEC("xdp.frags") that behave like libbpf's own; for a program of an
 * object given to filter_attach_to_object(), the callback
 *   1. finds the stub procap_filter() in the final instructions: the load options carry the
 *      program's BTF func_info, one record (insn_off, BTF FUNC id) per subprogram, so the stub
 *      starts at the record whose FUNC is named "procap_filter" and ends where the next
 *      subprogram starts (or at the end);
 *   2. replaces the stub's body with the eBPF translation for the program's type (TC or XDP)
 *      and moves everything after it, re-aiming bpf-to-bpf calls (and callback references)
 *      that cross the stub;
 *   3. shifts func_info/line_info by the size change and drops the stub's own line records
 *      except its first (the kernel wants one at each subprogram's start);
 *   4. bpf_program__set_insns() the result; libbpf then loads those instructions.
 * A per-program verifier log buffer lets filter_load_error() report why a load failed. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "filter_int.h"
#include "util.h"

#define STUB_NAME	"procap_filter"
#define MAX_OBJECTS	8
#define MAX_PROGS	16
#define MAX_OPENED	256
#define LOG_SIZE	(256 * 1024)

enum { COOKIE_PLAIN, COOKIE_FRAGS };

struct splice_prog {
	struct bpf_program *prog;
	char *log;
	void *func_info, *line_info;	/* our copies, handed to BPF_PROG_LOAD */
};

struct splice {
	struct bpf_object *obj;
	const struct filter_prog *fp;
	struct splice_prog progs[MAX_PROGS];
	int nprogs;
	char error[512];
};

static struct splice splices[MAX_OBJECTS];
/* Programs opened while our handlers were registered (filled by prog_setup_fn): lets
 * filter_attach_to_object() detect an object opened too early, whose stub would stay. */
static const struct bpf_program *opened[MAX_OPENED];
static int n_opened;
static bool registered;

static struct splice_prog *find_prog(const struct bpf_program *prog, struct splice **sp)
{
	for (int s = 0; s < MAX_OBJECTS; s++)
		for (int i = 0; splices[s].obj && i < splices[s].nprogs; i++)
			if (splices[s].progs[i].prog == prog) {
				*sp = &splices[s];
				return &splices[s].progs[i];
			}
	return NULL;
}

static int setup_prog(struct bpf_program *prog, long cookie)
{
	if (cookie == COOKIE_FRAGS)	/* what libbpf's own SEC("xdp.frags") does */
		bpf_program__set_flags(prog, bpf_program__flags(prog) | BPF_F_XDP_HAS_FRAGS);
	if (n_opened < MAX_OPENED)
		opened[n_opened++] = prog;
	return 0;
}

/* Where the stub lives in the final instructions: [*start, *end). */
static int find_stub(const struct bpf_object *obj, const struct bpf_prog_load_opts *opts,
		     size_t insn_cnt, size_t *start, size_t *end)
{
	const struct btf *btf = bpf_object__btf(obj);
	const uint8_t *rec = opts->func_info;
	bool found = false;

	if (!btf || !rec || !opts->func_info_cnt)
		return -ENOENT;
	for (uint32_t i = 0; i < opts->func_info_cnt; i++) {
		const struct bpf_func_info *fi = (const void *)(rec + i * opts->func_info_rec_size);
		const struct btf_type *t = btf__type_by_id(btf, fi->type_id);

		if (t && !strcmp(btf__name_by_offset(btf, t->name_off), STUB_NAME)) {
			*start = fi->insn_off;
			found = true;
		}
	}
	if (!found)
		return -ENOENT;
	*end = insn_cnt;
	for (uint32_t i = 0; i < opts->func_info_cnt; i++) {
		const struct bpf_func_info *fi = (const void *)(rec + i * opts->func_info_rec_size);

		if (fi->insn_off > *start && fi->insn_off < *end)
			*end = fi->insn_off;
	}
	return 0;
}

/* Old instruction index -> new one, for indices outside the replaced stub body. */
static size_t moved(size_t old, size_t start, size_t end, long delta)
{
	return old >= end ? (size_t)((long)old + delta) : old;
}

/* bpf-to-bpf calls and ld_imm64 callback references are relative: re-aim the ones whose
 * source or target moved. */
static int fix_relative(struct bpf_insn *ins, size_t cnt, size_t start, size_t end, size_t blen,
			long delta)
{
	for (size_t ni = 0; ni < cnt; ni++) {
		struct bpf_insn *in = &ins[ni];
		bool call = in->code == (BPF_JMP | BPF_CALL) && in->src_reg == BPF_PSEUDO_CALL;
		bool func = in->code == (BPF_LD | BPF_IMM | BPF_DW) &&
			    in->src_reg == BPF_PSEUDO_FUNC;

		if (ni >= start && ni < start + blen)
			continue;	/* our body: helper calls only */
		if (call || func) {
			size_t oi = ni >= start + blen ? (size_t)((long)ni - delta) : ni;
			long ot = (long)oi + 1 + in->imm;

			if (ot < 0 || (ot > (long)start && ot < (long)end))
				return -EINVAL;	/* into the stub's middle: not ours */
			in->imm = (int32_t)((long)moved((size_t)ot, start, end, delta) - (long)ni -
					    1);
		}
		if (in->code == (BPF_LD | BPF_IMM | BPF_DW))
			ni++;
	}
	return 0;
}

/* Copy func_info/line_info with offsets after the stub shifted by delta; inside the stub keep
 * only the record at its first instruction. */
static void *shift_info(const void *info, uint32_t rec_size, uint32_t *cnt, size_t start,
			size_t end, long delta)
{
	uint8_t *copy = xcalloc(*cnt ? *cnt : 1, rec_size);
	uint32_t n = 0;

	for (uint32_t i = 0; i < *cnt; i++) {
		const uint8_t *r = (const uint8_t *)info + (size_t)i * rec_size;
		uint32_t off;

		/* insn_off is the first field of both record kinds */
		memcpy(&off, r, sizeof(off));
		if (off > start && off < end)
			continue;
		memcpy(copy + (size_t)n * rec_size, r, rec_size);
		off = (uint32_t)moved(off, start, end, delta);
		memcpy(copy + (size_t)n * rec_size, &off, sizeof(off));
		n++;
	}
	*cnt = n;
	return copy;
}

static int prepare_prog(struct bpf_program *prog, struct bpf_prog_load_opts *opts, long cookie)
{
	struct splice *s;
	struct splice_prog *sp = find_prog(prog, &s);
	const struct bpf_insn *old = bpf_program__insns(prog), *body;
	size_t cnt = bpf_program__insn_cnt(prog), start = 0, end = 0, blen, ncnt;
	enum filter_ctx ctx;
	struct bpf_insn *ins;
	long delta;
	int rc;

	if (!sp || find_stub(s->obj, opts, cnt, &start, &end))
		return 0;	/* not ours, or the program does not call the stub */
	switch (bpf_program__type(prog)) {
	case BPF_PROG_TYPE_SCHED_CLS: ctx = FILTER_CTX_SKB; break;
	case BPF_PROG_TYPE_XDP: ctx = FILTER_CTX_XDP; break;
	default: return -EINVAL;
	}
	body = filter_insns(s->fp, ctx, &blen);
	delta = (long)blen - (long)(end - start);
	ncnt = (size_t)((long)cnt + delta);
	ins = xcalloc(ncnt, sizeof(*ins));
	memcpy(ins, old, start * sizeof(*ins));
	memcpy(ins + start, body, blen * sizeof(*ins));
	memcpy(ins + start + blen, old + end, (cnt - end) * sizeof(*ins));
	rc = fix_relative(ins, ncnt, start, end, blen, delta);
	if (!rc)
		rc = bpf_program__set_insns(prog, ins, ncnt);	/* copies */
	free(ins);
	if (rc)
		return rc;

	free(sp->func_info);
	free(sp->line_info);
	sp->func_info = shift_info(opts->func_info, opts->func_info_rec_size,
				   &opts->func_info_cnt, start, end, delta);
	opts->func_info = sp->func_info;
	if (opts->line_info && opts->line_info_cnt) {
		sp->line_info = shift_info(opts->line_info, opts->line_info_rec_size,
					   &opts->line_info_cnt, start, end, delta);
		opts->line_info = sp->line_info;
	} else {
		sp->line_info = NULL;
	}
	(void)cookie;
	return 0;
}

int filter_register_handlers(void)
{
	static const struct {
		const char *sec;
		enum bpf_prog_type type;
		enum bpf_attach_type attach;
		long cookie;
	} defs[] = {
		{ "tc", BPF_PROG_TYPE_SCHED_CLS, 0, COOKIE_PLAIN },
		{ "xdp", BPF_PROG_TYPE_XDP, BPF_XDP, COOKIE_PLAIN },
		{ "xdp.frags", BPF_PROG_TYPE_XDP, BPF_XDP, COOKIE_FRAGS },
	};

	if (registered)
		return 0;
	for (size_t i = 0; i < sizeof(defs) / sizeof(defs[0]); i++) {
		LIBBPF_OPTS(libbpf_prog_handler_opts, hopts, .cookie = defs[i].cookie,
			    .prog_setup_fn = setup_prog, .prog_prepare_load_fn = prepare_prog);
		int id = libbpf_register_prog_handler(defs[i].sec, defs[i].type, defs[i].attach,
						      &hopts);
		if (id < 0) {
			pr_warn("cannot register the SEC(\"%s\") handler: %s\n", defs[i].sec,
				strerror(-id));
			return id;
		}
	}
	registered = true;
	return 0;
}

static bool was_opened_by_us(const struct bpf_program *prog)
{
	for (int i = 0; i < n_opened; i++)
		if (opened[i] == prog)
			return true;
	return false;
}

static struct splice *find_splice(const struct bpf_object *obj)
{
	for (int s = 0; s < MAX_OBJECTS; s++)
		if (splices[s].obj == obj)
			return &splices[s];
	return NULL;
}

int filter_attach_to_object(struct bpf_object *obj, const struct filter_prog *fp)
{
	struct splice *s = find_splice(obj);
	struct bpf_program *prog;

	if (!s)
		s = find_splice(NULL);
	if (!s)
		return -ENOSPC;
	memset(s, 0, sizeof(*s));
	s->obj = obj;
	s->fp = fp;
	bpf_object__for_each_program(prog, obj) {
		struct splice_prog *sp;

		if (!was_opened_by_us(prog) || s->nprogs == MAX_PROGS)
			continue;
		sp = &s->progs[s->nprogs++];
		sp->prog = prog;
		sp->log = xcalloc(1, LOG_SIZE);
		bpf_program__set_log_buf(prog, sp->log, LOG_SIZE);
	}
	if (!s->nprogs) {
		filter_detach_object(obj);
		return -EINVAL;	/* opened before filter_register_handlers(), or no tc/xdp */
	}
	return 0;
}

/* The verifier's reason: the last line that is not a statistics or blank line. */
static void verifier_reason(const char *log, char *out, size_t outlen)
{
	const char *p = log, *best = NULL;
	size_t best_len = 0;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (len && strncmp(p, "processed ", 10) && strncmp(p, "verification time", 17) &&
		    strncmp(p, "stack depth", 11) && strncmp(p, "-- ", 3)) {
			best = p;
			best_len = len;
		}
		p += len + (nl ? 1 : 0);
	}
	if (best)
		snprintf(out, outlen, "%.*s", (int)best_len, best);
	else
		snprintf(out, outlen, "(no verifier log)");
}

const char *filter_load_error(const struct bpf_object *obj)
{
	struct splice *s = find_splice(obj);
	char reason[400];

	if (!s || !obj)
		return NULL;
	for (int i = 0; i < s->nprogs; i++) {
		if (!s->progs[i].log[0])
			continue;
		verifier_reason(s->progs[i].log, reason, sizeof(reason));
		snprintf(s->error, sizeof(s->error), "filter rejected by the kernel verifier: %s",
			 reason);
		return s->error;
	}
	return NULL;
}

void filter_detach_object(struct bpf_object *obj)
{
	struct splice *s = find_splice(obj);

	if (!s || !obj)
		return;
	for (int i = 0; i < s->nprogs; i++) {
		struct splice_prog *sp = &s->progs[i];

		for (int j = 0; j < n_opened; j++)
			if (opened[j] == sp->prog)
				opened[j] = opened[--n_opened];
		free(sp->log);
		free(sp->func_info);
		free(sp->line_info);
	}
	memset(s, 0, sizeof(*s));
}
