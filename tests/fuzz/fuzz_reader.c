// SPDX-License-Identifier: BSD-3-Clause
/* libFuzzer target: the bytes are a capture file given to -r. It goes through the same path as
 * `procap -r FILE`: reader (pcap/pcapng, gzip detected by content) -> output (dissectors, then
 * the text printer, --json, --summary or the pcapng writer, chosen by the input's size so every
 * sink is exercised) with stdout sent to /dev/null.
 *
 * Besides "no crash, no sanitizer report", it checks the reader's documented contract
 * (src/reader.h): a packet's if_id names a known interface, data is non-NULL when cap_len > 0,
 * an error comes with a one-line message. A broken contract aborts, which libFuzzer reports.
 * fuzz-seeds: captures */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "opts.h"
#include "output.h"
#include "reader.h"

/* Bound the work one input can cause: a file of thousands of tiny packets is not more
 * interesting than one of a few hundred, and libFuzzer's -timeout would flag it. */
#define FUZZ_MAX_PACKETS 2000
#define FUZZ_MAX_IFACES 64

static int memfd = -1;
static char memfd_path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* Text, JSON and summary lines go to stdout: discard them (libFuzzer reports on stderr). */
	int null = open("/dev/null", O_WRONLY);
	if (null < 0 || dup2(null, 1) < 0)
		abort();
	close(null);
	memfd = memfd_create("fuzz_reader", MFD_CLOEXEC);
	if (memfd < 0)
		abort();
	snprintf(memfd_path, sizeof(memfd_path), "/proc/self/fd/%d", memfd);
	return 0;
}

/* The sink variant for this input: a function of its size, so mutations visit every one. */
static void pick_options(struct options *o, size_t size)
{
	memset(o, 0, sizeof(*o));
	o->read_file = memfd_path;
	o->numeric = true;
	switch (size % 8) {
	case 0: break;
	case 1: o->vflag = 2; o->eflag = true; break;
	case 2: o->xflag = 2; o->Aflag = true; break;
	case 3: o->json = true; break;
	case 4: o->summary = true; break;
	case 5: o->vflag = 1; o->tflag = 4; o->t_count = 4; o->number = true; o->Xflag = 1; break;
	case 6: o->numeric = false; o->qflag = true; o->Sflag = true; o->tflag = 3; o->t_count = 3;
		break;
	case 7: o->write_file = "/dev/null"; o->print = true; o->vflag = 1; break;
	}
}

static void check_error_line(const char *msg)
{
	if (!msg || !*msg || strchr(msg, '\n')) {
		fprintf(stderr, "reader error is not one line: '%s'\n", msg ? msg : "(null)");
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256] = "";
	struct options o;
	struct packet p;
	int out_id[FUZZ_MAX_IFACES];

	if (ftruncate(memfd, 0) || pwrite(memfd, data, size, 0) != (ssize_t)size)
		abort();
	pick_options(&o, size);

	struct reader *r = reader_open(memfd_path, err, sizeof(err));
	if (!r) {
		check_error_line(err);
		return 0;
	}
	struct output *out = output_open(&o);
	if (!out)
		abort();	/* stdout and /dev/null are always writable */
	for (int i = 0; i < FUZZ_MAX_IFACES; i++)
		out_id[i] = -1;

	int rc = 0;
	for (int n = 0; n < FUZZ_MAX_PACKETS; n++) {
		memset(&p, 0, sizeof(p));
		rc = reader_next(r, &p);
		if (rc != 1)
			break;
		if (p.if_id >= reader_n_interfaces(r) || (p.cap_len && !p.data)) {
			fprintf(stderr, "reader broke its contract: if_id %u of %u, cap_len %u\n",
				p.if_id, reader_n_interfaces(r), p.cap_len);
			abort();
		}
		if (p.if_id >= FUZZ_MAX_IFACES)
			continue;
		if (out_id[p.if_id] < 0) {
			const struct reader_iface *ifc = reader_interface(r, p.if_id);
			out_id[p.if_id] = output_add_interface(out, ifc->name, ifc->linktype,
							       ifc->snaplen);
			if (out_id[p.if_id] < 0)
				break;
		}
		p.if_id = (uint32_t)out_id[p.if_id];
		p.number = (uint64_t)n + 1;
		if (output_packet(out, &p) < 0)
			break;
	}
	if (rc < 0)
		check_error_line(reader_error(r));
	output_close(out, NULL);
	reader_close(r);
	return 0;
}
