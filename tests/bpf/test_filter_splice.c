// SPDX-License-Identifier: BSD-3-Clause
/* The splice into the real capture programs (bpf/capture.bpf.c), run with BPF_PROG_TEST_RUN:
 *   - with "udp port 5000" spliced, tc_ingress, tc_egress and xdp_ingress emit a ring record
 *     exactly for the frames libpcap's bpf_filter() accepts and count the others in
 *     stats.filter_rejected;
 *   - the filter's return value is the snap length: a classic "ret #40" gives 40-byte records;
 *   - without a filter the stub's own body accepts everything;
 *   - a real verifier rejection caused by the splice (a caller whose stack leaves no room for
 *     the filter's frame) is reported as one line naming the verifier's reason.
 * Needs root (skips with 77 otherwise). */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/types.h>

#include "capture.h"
#include "capture.skel.h"
#include "check.h"
#include "filter.h"
#include "filter_stack_test.skel.h"

#define DLT_EN10MB	1

struct cinsn {			/* classic instruction (struct sock_filter layout) */
	uint16_t code;
	uint8_t jt, jf;
	uint32_t k;
};

struct frame {
	const char *name;
	uint8_t data[128];
	uint32_t len;
};

static int records, last_cap_len;

static int on_record(void *ctx, void *data, size_t size)
{
	const struct cap_event *e = data;

	(void)ctx;
	if (size >= sizeof(*e) && e->kind == CAP_KIND_PACKET) {
		records++;
		last_cap_len = (int)e->cap_len;
	}
	return 0;
}

static uint32_t build(struct frame *f, const char *name, uint16_t ethertype, uint8_t proto,
		      uint16_t sport, uint16_t dport)
{
	uint8_t *p = f->data;

	memset(f, 0, sizeof(*f));
	f->name = name;
	memcpy(p, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
	p[12] = ethertype >> 8;
	p[13] = ethertype & 0xff;
	if (ethertype == 0x0800) {
		p[14] = 0x45;
		p[17] = 20 + 68;
		p[22] = 64;
		p[23] = proto;
		memcpy(p + 26, "\xc6\x33\x64\x01\xc6\x33\x64\x02", 8);
		p += 34;
	} else {
		p[14] = 0x60;
		p[19] = 68;
		p[20] = proto;
		p[21] = 64;
		p[22] = 0x20;
		p[23] = 0x01;
		p[38] = 0x20;
		p[39] = 0x01;
		p += 54;
	}
	p[0] = sport >> 8;
	p[1] = sport & 0xff;
	p[2] = dport >> 8;
	p[3] = dport & 0xff;
	if (proto == 17)
		p[5] = 68;		/* UDP length: 8-byte header and 60 bytes */
	else
		p[12] = 0x50;		/* TCP: 20-byte header and 48 bytes */
	f->len = (uint32_t)(p - f->data) + 68;
	return f->len;
}

static struct cap_stats sum_stats(struct capture_bpf *skel)
{
	int ncpu = libbpf_num_possible_cpus();
	struct cap_stats *per = calloc((size_t)ncpu, sizeof(*per)), total = { 0 };
	uint32_t key = 0;

	if (per && !bpf_map_lookup_elem(bpf_map__fd(skel->maps.stats), &key, per))
		for (int i = 0; i < ncpu; i++)
			total.filter_rejected += per[i].filter_rejected;
	free(per);
	return total;
}

static struct capture_bpf *load_capture(const struct filter_prog *fp, char *why, size_t whylen)
{
	struct capture_bpf *skel = capture_bpf__open();
	int err;

	if (!skel) {
		snprintf(why, whylen, "open: %s", strerror(errno));
		return NULL;
	}
	skel->rodata->snaplen = 262144;
	bpf_map__set_max_entries(skel->maps.events, 1 << 20);
	if (fp && (err = filter_attach_to_object(skel->obj, fp))) {
		snprintf(why, whylen, "attach: %s", strerror(-err));
		capture_bpf__destroy(skel);
		return NULL;
	}
	err = capture_bpf__load(skel);
	if (err) {
		const char *le = fp ? filter_load_error(skel->obj) : NULL;

		snprintf(why, whylen, "load: %s", le ? le : strerror(-err));
	}
	if (fp)
		filter_detach_object(skel->obj);
	if (err) {
		capture_bpf__destroy(skel);
		return NULL;
	}
	return skel;
}

/* Each frame through each program: a record iff libpcap accepts; rejections counted. */
static void check_programs(const char *what, const struct filter_prog *fp, int want_cap_len)
{
	struct frame fr[6];
	char why[600] = "", name[200];
	struct capture_bpf *skel = load_capture(fp, why, sizeof(why));
	struct ring_buffer *rb;

	snprintf(name, sizeof(name), "splice %s: capture programs load", what);
	if (!CHECKF(skel != NULL, name, "%s", why))
		return;
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_record, NULL, NULL);
	build(&fr[0], "udp 5000", 0x0800, 17, 40000, 5000);
	build(&fr[1], "udp 5001", 0x0800, 17, 40000, 5001);
	build(&fr[2], "tcp 5000", 0x0800, 6, 40000, 5000);
	build(&fr[3], "udp6 from 5000", 0x86dd, 17, 5000, 53);
	build(&fr[4], "udp6 53", 0x86dd, 17, 1053, 53);
	build(&fr[5], "tcp6 443", 0x86dd, 6, 1000, 443);
	struct bpf_program *progs[] = { skel->progs.tc_ingress, skel->progs.tc_egress,
					skel->progs.xdp_ingress };
	for (size_t p = 0; p < 3; p++) {
		for (size_t i = 0; i < 6; i++) {
			bool want = fp ? filter_classic_run(fp, fr[i].data, fr[i].len, fr[i].len) :
				    true;
			uint64_t rej0 = sum_stats(skel).filter_rejected;
			LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = fr[i].data,
				    .data_size_in = fr[i].len, .repeat = 1);
			int err;

			records = 0;
			last_cap_len = -1;
			err = bpf_prog_test_run_opts(bpf_program__fd(progs[p]), &o);
			ring_buffer__consume(rb);
			snprintf(name, sizeof(name), "splice %s: %s %s", what,
				 bpf_program__name(progs[p]), fr[i].name);
			CHECKF(!err && records == (int)want &&
			       sum_stats(skel).filter_rejected - rej0 == (uint64_t)!want &&
			       (!want || last_cap_len == (want_cap_len ? want_cap_len :
							  (int)fr[i].len)),
			       name, "err %d, records %d (want %d), rejected +%llu, cap_len %d",
			       err, records, want,
			       (unsigned long long)(sum_stats(skel).filter_rejected - rej0),
			       last_cap_len);
		}
	}
	ring_buffer__free(rb);
	capture_bpf__destroy(skel);
}

static void check_verifier_rejection(void)
{
	struct filter_stack_test_bpf *skel = filter_stack_test_bpf__open();
	struct filter_prog *fp;
	char err[512];
	const char *le;
	int rc;

	/* the stub's own body fits the 512-byte stack */
	CHECK(skel && !filter_stack_test_bpf__load(skel), "splice stack: loads without a filter");
	filter_stack_test_bpf__destroy(skel);
	if (!CHECKF(!filter_compile("udp port 5000", DLT_EN10MB, 262144, &fp, err, sizeof(err)),
		    "splice stack: compile", "%s", err))
		return;
	skel = filter_stack_test_bpf__open();
	if (!CHECK(skel && !filter_attach_to_object(skel->obj, fp), "splice stack: attach"))
		goto out;
	rc = filter_stack_test_bpf__load(skel);
	le = filter_load_error(skel->obj);
	printf("# verifier rejection reported as: %s\n", le ? le : "(none)");
	CHECKF(rc && le && !strncmp(le, "filter rejected by the kernel verifier: ", 40) &&
	       strstr(le, "stack") && !strchr(le, '\n'), "splice stack: verifier reason reported",
	       "rc %d, '%s'", rc, le ? le : "(null)");
	filter_detach_object(skel->obj);
out:
	filter_stack_test_bpf__destroy(skel);
	filter_free(fp);
}

int main(void)
{
	static const struct cinsn ret40[] = {
		{ 0x28, 0, 0, 12 },		/* ldh [12] */
		{ 0x15, 0, 1, 0x0800 },		/* jeq #0x800 jt 0 jf 1 */
		{ 0x06, 0, 0, 40 },		/* ret #40 */
		{ 0x06, 0, 0, 0 },		/* ret #0 */
	};
	struct filter_prog *fp;
	char err[512];

	if (geteuid() != 0) {
		fprintf(stderr, "test_filter_splice: needs root (BPF_PROG_TEST_RUN)\n");
		return 77;
	}
	filter_register_handlers();	/* before any open: libbpf binds SEC handlers there */
	check_programs("no filter", NULL, 0);
	if (CHECKF(!filter_compile("udp port 5000", DLT_EN10MB, 262144, &fp, err, sizeof(err)),
		   "splice compile", "%s", err)) {
		check_programs("'udp port 5000'", fp, 0);
		filter_free(fp);
	}
	if (CHECKF(!filter_from_classic((const struct sock_filter *)ret40, 4, &fp, err,
					sizeof(err)), "splice classic ret #40", "%s", err)) {
		check_programs("ipv4 'ret #40'", fp, 40);
		filter_free(fp);
	}
	check_verifier_rejection();
	return CHECK_EXIT();
}
