// SPDX-License-Identifier: BSD-3-Clause
/* epb_processid_threadid (EPB option 8) and Process Information Blocks (--pib): every
 * attributed packet carries its owner's PID and TID, checked by a block walker written here
 * from the pcapng draft (independent of src/input/reader.c), then read back by procap's reader
 * (option 8, and the owner's name/path/command line from the PIB). tshark 4.0, when installed,
 * reads the default file with exactly one frame per packet and shows each PIB as one extra
 * frame (the documented frame-shift caveat). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "pcapng.h"
#include "reader.h"

static char tmpdir[] = "/tmp/procap-test-pcapng-process.XXXXXX";

struct owner {
	uint32_t pid, tid;
	const char *comm, *exe, *args;
};

static const struct owner owners[] = {
	{ 4242, 4243, "curl", "/usr/bin/curl", "curl -s https://192.0.2.1/" },
	{ 777, 779, "wget", "/usr/bin/wget", "wget -q http://192.0.2.2/" },
	{ 0, 0, NULL, NULL, NULL },	/* no owner */
};
/* which owner each packet of the stream has */
static const int stream[] = { 0, 0, 1, 2, 0, 1, 1, 2, 0 };
#define NPKT (sizeof(stream) / sizeof(stream[0]))

static void make_packet(struct packet *p, size_t i, const uint8_t *frame, uint64_t *serial)
{
	const struct owner *o = &owners[stream[i]];

	memset(p, 0, sizeof(*p));
	p->ts_ns = 1700000000000000000ull + i * 1000;
	p->cap_len = p->wire_len = 60;
	p->data = frame;
	p->linktype = 1;
	p->dir = PKT_DIR_OUT;
	if (!o->pid)
		return;
	p->procap_meta = true;
	p->proc.valid = true;
	p->proc.source = OWNER_COOKIE;
	p->proc.pid = o->pid;
	p->proc.tid = o->tid;
	p->proc.ppid = 1;
	p->proc.uid = 1000;
	snprintf(p->proc.comm, sizeof(p->proc.comm), "%s", o->comm);
	snprintf(p->proc.exe, sizeof(p->proc.exe), "%s", o->exe);
	snprintf(p->proc.args, sizeof(p->proc.args), "%s", o->args);
	p->proc.serial = ++*serial;	/* a new fill per packet, as live's owner changes do */
}

static int write_file(const char *path, bool pib)
{
	struct pcapng_if_info eth0 = { "eth0", 1, 262144, NULL };
	uint8_t frame[60] = { 0 };
	uint64_t serial = 0;
	struct packet p;
	int rc = 0;

	frame[12] = 0x08;	/* EtherType IPv4, the rest zero: a frame every reader accepts */
	struct pcapng_writer *w = pcapng_open(path);
	if (!w)
		return -1;
	pcapng_set_pib(w, pib);
	if (pcapng_add_interface(w, &eth0) != 0)
		rc = -1;
	for (size_t i = 0; i < NPKT && !rc; i++) {
		make_packet(&p, i, frame, &serial);
		rc = pcapng_write_packet(w, &p, NULL, 0);
	}
	return pcapng_close(w) || rc ? -1 : 0;
}

static uint32_t get32(const uint8_t *b)
{
	uint32_t v;
	memcpy(&v, b, 4);
	return v;
}

static uint16_t get16(const uint8_t *b)
{
	uint16_t v;
	memcpy(&v, b, 2);
	return v;
}

struct walk {
	size_t epbs, epbs_ok, pibs, pib_before_first_use;
	uint32_t pib_pid[8];
};

/* Walks a host-order pcapng file block by block (the draft's layout, nothing from reader.c):
 * every EPB's option 8 must equal the stream's owner, absent for packets without one; PIBs
 * are counted and must come before the first packet of their PID. */
static void walk_file(const char *path, struct walk *wk)
{
	static uint8_t buf[1 << 16];
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(buf, 1, sizeof(buf), f) : 0;
	bool used[8] = { false };

	memset(wk, 0, sizeof(*wk));
	if (f)
		fclose(f);
	for (size_t off = 0; off + 12 <= n;) {
		uint32_t type = get32(buf + off), len = get32(buf + off + 4);
		if (len < 12 || off + len > n)
			break;
		const uint8_t *body = buf + off + 8;
		size_t blen = len - 12;
		if (type == 0x00000BAD && blen >= 12 && get32(body) == 32622 && get32(body + 4) == 3) {
			uint32_t pid = get32(body + 8);
			for (size_t k = 0; k < 2; k++)
				if (owners[k].pid == pid && !used[k])
					wk->pib_before_first_use++;
			if (wk->pibs < 8)
				wk->pib_pid[wk->pibs] = pid;
			wk->pibs++;
		} else if (type == 6 && blen >= 20) {
			uint32_t caplen = get32(body + 12);
			size_t o = 20 + ((caplen + 3) & ~3u);
			bool have8 = false, good8 = false;
			const struct owner *ow = wk->epbs < NPKT ? &owners[stream[wk->epbs]] : NULL;
			while (o + 4 <= blen) {
				uint16_t code = get16(body + o), olen = get16(body + o + 2);
				if (code == 0 || o + 4 + olen > blen)
					break;
				if (code == 8) {
					have8 = true;
					good8 = olen == 8 && ow && get32(body + o + 4) == ow->pid &&
						get32(body + o + 8) == ow->tid;
				}
				o += 4 + ((olen + 3u) & ~3u);
			}
			if (ow && (ow->pid ? have8 && good8 : !have8))
				wk->epbs_ok++;
			if (ow && ow->pid)
				used[stream[wk->epbs]] = true;
			wk->epbs++;
		}
		off += len;
	}
}

static void test_option8_and_pib(void)
{
	char plain[256], pib[256];
	struct walk wk;

	snprintf(plain, sizeof(plain), "%s/plain.pcapng", tmpdir);
	snprintf(pib, sizeof(pib), "%s/pib.pcapng", tmpdir);
	if (!CHECK(write_file(plain, false) == 0 && write_file(pib, true) == 0, "write files"))
		return;

	walk_file(plain, &wk);
	CHECKF(wk.epbs == NPKT && wk.epbs_ok == NPKT, "option 8 on every attributed EPB, none on others",
	       "%zu of %zu EPBs right", wk.epbs_ok, wk.epbs);
	CHECK_INT(wk.pibs, 0, "no PIB unless asked");

	walk_file(pib, &wk);
	CHECKF(wk.epbs == NPKT && wk.epbs_ok == NPKT, "--pib: option 8 still on every attributed EPB",
	       "%zu of %zu EPBs right", wk.epbs_ok, wk.epbs);
	/* one per owner although every packet is a new fill (serial): same fields, no repeat */
	CHECKF(wk.pibs == 2 && wk.pib_pid[0] == 4242 && wk.pib_pid[1] == 777,
	       "--pib: one PIB per process", "%zu PIBs", wk.pibs);
	CHECK_INT(wk.pib_before_first_use, 2, "--pib: each PIB precedes its process's first packet");

	/* procap's reader: option 8 back, and the owner from the PIB for comment-less packets */
	char err[256];
	struct reader *r = reader_open(pib, err, sizeof(err));
	if (!CHECKF(r != NULL, "reader opens the --pib file", "%s", err))
		return;
	struct packet p;
	size_t i = 0, good = 0;
	memset(&p, 0, sizeof(p));
	while (reader_next(r, &p) == 1 && i < NPKT) {
		const struct owner *o = &owners[stream[i++]];
		reader_owner_from_options(r, &p);
		if (!o->pid) {
			good += !p.has_epb_pid && !p.proc.valid;
			continue;
		}
		good += p.has_epb_pid && p.epb_pid == o->pid && p.epb_tid == o->tid &&
			p.proc.valid && p.procap_meta && p.proc.pid == o->pid && p.proc.tid == o->tid &&
			!strcmp(p.proc.comm, o->comm) && !strcmp(p.proc.exe, o->exe) &&
			!strcmp(p.proc.args, o->args) && p.proc.ppid == 1 && p.proc.uid == 1000;
	}
	CHECKF(i == NPKT && good == NPKT && !*reader_error(r),
	       "reader: option 8 and PIB fields read back", "%zu of %zu right (%s)", good, i,
	       reader_error(r));
	reader_close(r);
}

/* tshark's frame count and stderr for path: "FRAMES STDERR_LINES". */
static bool tshark_frames(const char *path, int *frames, int *errs)
{
	char cmd[600], line[512];

	snprintf(cmd, sizeof(cmd), "tshark -r %s -T fields -e frame.number 2>%s.err | wc -l; "
		 "grep -vc 'Running as user' %s.err", path, path, path);
	FILE *f = popen(cmd, "r");
	if (!f)
		return false;
	bool ok = fgets(line, sizeof(line), f) && sscanf(line, "%d", frames) == 1 &&
		  fgets(line, sizeof(line), f) && sscanf(line, "%d", errs) == 1;
	pclose(f);
	return ok;
}

static void test_tshark(void)
{
	char plain[256], pib[256];
	int frames = -1, errs = -1;

	if (system("command -v tshark >/dev/null 2>&1") != 0) {
		SKIP("tshark reads option 8 files", "tshark not installed");
		return;
	}
	snprintf(plain, sizeof(plain), "%s/plain.pcapng", tmpdir);
	snprintf(pib, sizeof(pib), "%s/pib.pcapng", tmpdir);
	if (CHECK(tshark_frames(plain, &frames, &errs), "tshark runs"))
		CHECKF(frames == (int)NPKT && errs == 0, "tshark: default file, one frame per packet, silent",
		       "%d frames (want %zu), %d stderr lines", frames, NPKT, errs);
	if (CHECK(tshark_frames(pib, &frames, &errs), "tshark runs on --pib file"))
		CHECKF(frames == (int)NPKT + 2 && errs == 0, "tshark 4.0: each PIB is one extra frame",
		       "%d frames (want %zu)", frames, NPKT + 2);
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_option8_and_pib();
	test_tshark();
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
	return CHECK_EXIT();
}
