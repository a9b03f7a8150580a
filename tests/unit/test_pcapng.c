// SPDX-License-Identifier: BSD-3-Clause
/* pcapng writer: files it writes are read back by libpcap (the independent reader) packet for
 * packet (bytes, lengths, ns timestamps), per-packet options by our reader, gzip output through
 * zlib, and failed writes (file size limit, /dev/full, symlink) leave only complete blocks. */
#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "pcapng.h"
#include "reader.h"

static char tmpdir[] = "/tmp/procap-test-pcapng.XXXXXX";

/* Packet i of the test stream: varied sizes (0 and odd lengths exercise the padding). */
static const uint32_t sizes[] = { 60, 0, 1, 3, 1514, 65535, 262144, 99, 5, 128 };
#define NPKT (sizeof(sizes) / sizeof(sizes[0]))

static uint8_t *payload(size_t i)
{
	uint8_t *d = malloc(sizes[i] ? sizes[i] : 1);
	for (uint32_t k = 0; k < sizes[i]; k++)
		d[k] = (uint8_t)(k * 7 + i);
	return d;
}

static void make_packet(struct packet *p, size_t i, uint8_t *data)
{
	memset(p, 0, sizeof(*p));
	p->ts_ns = 1700000000123456789ull + i * 1000000001ull;
	p->cap_len = sizes[i];
	p->wire_len = sizes[i] + (i == 7 ? 1000 : 0);	/* one truncated by snaplen */
	p->data = data;
	p->linktype = 1;
	p->if_id = (uint32_t)(i % 2);
	p->dir = (uint8_t)(i % 3);	/* unknown, in, out */
	p->has_packet_id = i % 2 == 0;
	p->packet_id = 1000 + i;
	p->has_dropcount = i == 4;
	p->dropcount = 42;
}

static const char *comment_of(size_t i)
{
	return i == 0 ? "PID: 1\nCmd: init\nSource: cookie" : i == 3 ? "x" : NULL;
}

/* Writes the test stream; returns 0 or the first error. */
static int write_stream(struct pcapng_writer *w, size_t npkt)
{
	struct pcapng_if_info eth0 = { "eth0", 1, 262144, "udp port 53" };
	struct pcapng_if_info eth1 = { "eth1", 1, 0, NULL };
	struct packet p;
	int rc;

	if (pcapng_add_interface(w, &eth0) != 0 || pcapng_add_interface(w, &eth1) != 1)
		return -EINVAL;
	for (size_t i = 0; i < npkt; i++) {
		uint8_t *d = payload(i % NPKT);
		make_packet(&p, i % NPKT, d);
		const char *comment = comment_of(i % NPKT);

		rc = pcapng_write_packet(w, &p, comment, comment ? strlen(comment) : 0);
		free(d);
		if (rc)
			return rc;
	}
	struct pcapng_if_stats st;
	pcapng_stats_init(&st);
	st.ifrecv = 100;
	st.ifdrop = 1;
	st.usrdeliv = npkt;
	rc = pcapng_write_stats(w, 0, &st);
	return rc ? rc : pcapng_write_stats(w, 1, NULL);
}

/* libpcap reads the file and sees exactly the stream; returns packets read, -1 on mismatch. */
static int libpcap_check(const char *path, size_t npkt, const char *label)
{
	char err[PCAP_ERRBUF_SIZE], name[256];
	pcap_t *pc = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, err);
	struct pcap_pkthdr *h;
	const u_char *data;
	struct packet want;
	int n = 0, bad = 0, rc;

	snprintf(name, sizeof(name), "%s: libpcap opens it", label);
	if (!CHECKF(pc != NULL, name, "%s", err))
		return -1;
	while ((rc = pcap_next_ex(pc, &h, &data)) == 1) {
		size_t i = (size_t)n % NPKT;
		uint8_t *d = payload(i);
		make_packet(&want, i, d);
		uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000000u + (uint64_t)h->ts.tv_usec;
		if (ts != want.ts_ns || h->caplen != want.cap_len || h->len != want.wire_len ||
		    memcmp(data, d, want.cap_len) != 0) {
			if (!bad++)
				printf("# %s packet %d: ts %llu caplen %u len %u\n", label, n,
				       (unsigned long long)ts, h->caplen, h->len);
		}
		free(d);
		n++;
	}
	snprintf(name, sizeof(name), "%s: libpcap reads every packet intact to a clean end", label);
	CHECKF(bad == 0 && rc == PCAP_ERROR_BREAK && (npkt == (size_t)-1 || (size_t)n == npkt), name,
	       "%d packets, %d bad, rc %d (%s)", n, bad, rc, rc == -1 ? pcap_geterr(pc) : "");
	pcap_close(pc);
	return bad ? -1 : n;
}

static void test_roundtrip(void)
{
	char path[512], err[256];
	struct packet p;

	snprintf(path, sizeof(path), "%s/rt.pcapng", tmpdir);
	struct pcapng_writer *w = pcapng_open(path);
	if (!CHECK(w != NULL, "open"))
		return;
	int rc = write_stream(w, NPKT), crc = pcapng_close(w);
	CHECK_INT(rc, 0, "write stream");
	CHECK_INT(crc, 0, "close");
	libpcap_check(path, NPKT, "plain");

	/* options come back through our reader */
	struct reader *r = reader_open(path, err, sizeof(err));
	if (!CHECKF(r != NULL, "reader opens writer output", "%s", err))
		return;
	size_t i = 0, bad = 0;
	memset(&p, 0, sizeof(p));
	while (reader_next(r, &p) == 1) {
		struct packet want;
		const char *c = comment_of(i);
		make_packet(&want, i, NULL);
		if (p.dir != want.dir || p.if_id != want.if_id ||
		    p.has_packet_id != want.has_packet_id ||
		    (want.has_packet_id && p.packet_id != want.packet_id) ||
		    p.has_dropcount != want.has_dropcount ||
		    (want.has_dropcount && p.dropcount != want.dropcount) || !!p.comment != !!c ||
		    (c && strcmp(c, p.comment)) || !p.ifname ||
		    strcmp(p.ifname, i % 2 ? "eth1" : "eth0")) {
			if (!bad++)
				printf("# option mismatch at packet %zu\n", i);
		}
		i++;
	}
	CHECKF(bad == 0 && i == NPKT && !*reader_error(r), "options round-trip (dir, comment, packetid, dropcount, if_name)",
	       "%zu bad of %zu (%s)", bad, i, reader_error(r));
	const struct reader_iface *ifc = reader_interface(r, 0);
	CHECK(ifc && ifc->filter && strcmp(ifc->filter, "udp port 53") == 0, "if_filter round-trip");
	reader_close(r);
}

/* tshark is the strictest reader here: no warning on stderr except the root notice. */
static void test_tshark(void)
{
	char path[512], cmd[1024], line[512];
	int lines = 0, other = 0;

	if (system("command -v tshark >/dev/null 2>&1")) {
		SKIP("tshark reads it silently", "tshark not installed");
		return;
	}
	snprintf(path, sizeof(path), "%s/rt.pcapng", tmpdir);
	snprintf(cmd, sizeof(cmd),
		 "tshark -r %s -T fields -e frame.packet_flags_direction -e frame.comment 2>&1 >/dev/null",
		 path);
	FILE *f = popen(cmd, "r");
	while (f && fgets(line, sizeof(line), f)) {
		if (!strstr(line, "Running as user"))
			other++, printf("# tshark: %s", line);
		lines++;
	}
	if (f)
		pclose(f);
	CHECKF(other == 0, "tshark reads it silently", "%d stderr lines", other);
	snprintf(cmd, sizeof(cmd), "tshark -r %s -T fields -e frame.number 2>/dev/null | grep -c .", path);
	f = popen(cmd, "r");
	int n = f && fgets(line, sizeof(line), f) ? atoi(line) : -1;
	if (f)
		pclose(f);
	CHECK_INT(n, NPKT, "tshark counts every packet");
}

static void test_gzip(void)
{
	char path[512], plain[512];

	snprintf(path, sizeof(path), "%s/rt.pcapng.gz", tmpdir);
	struct pcapng_writer *w = pcapng_open(path);
	if (!CHECK(w != NULL, "gzip open"))
		return;
	int rc = write_stream(w, NPKT), crc = pcapng_close(w);
	CHECK_INT(rc, 0, "gzip write");
	CHECK_INT(crc, 0, "gzip close");
	/* it is gzip (zlib inflates it), and the inflated bytes are a pcapng libpcap reads */
	gzFile gz = gzopen(path, "rb");
	snprintf(plain, sizeof(plain), "%s/unzipped.pcapng", tmpdir);
	FILE *out = fopen(plain, "wb");
	uint8_t buf[65536];
	int k, direct = gz ? gzdirect(gz) : 1;
	while (gz && out && (k = gzread(gz, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)k, out);
	if (gz)
		gzclose(gz);
	if (out)
		fclose(out);
	CHECK(direct == 0, ".gz output is gzip-compressed");
	libpcap_check(plain, NPKT, "gzip");
}

/* A write that hits the file size limit mid-block: the file is cut back to its last complete
 * block, the error comes back as -EFBIG, and libpcap reads the remaining packets cleanly. */
static void test_size_limit(void)
{
	char path[512];
	int status;

	snprintf(path, sizeof(path), "%s/limited.pcapng", tmpdir);
	pid_t pid = fork();
	if (pid == 0) {
		struct rlimit rl = { 100000, 100000 };
		signal(SIGXFSZ, SIG_IGN);
		setrlimit(RLIMIT_FSIZE, &rl);
		struct pcapng_writer *w = pcapng_open(path);
		int rc = w ? write_stream(w, 3 * NPKT) : -1;
		int crc = pcapng_close(w);
		_exit(rc == -EFBIG && crc == -EFBIG ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "size limit: -EFBIG returned");
	struct stat st;
	stat(path, &st);
	CHECKF(st.st_size > 0 && st.st_size < 100000, "size limit: file cut below the limit",
	       "size %lld", (long long)st.st_size);
	int n = libpcap_check(path, (size_t)-1, "size limit");
	CHECKF(n >= 5, "size limit: packets before the failing block kept", "%d", n);
}

static void test_errors(void)
{
	char path[512], link[512];

	struct pcapng_writer *w = pcapng_open("/dev/full");
	int rc = w ? write_stream(w, NPKT) : -errno;
	int crc = pcapng_close(w);
	CHECKF(rc == -ENOSPC || crc == -ENOSPC, "/dev/full: -ENOSPC", "rc %d close %d", rc, crc);

	snprintf(path, sizeof(path), "%s/target", tmpdir);
	snprintf(link, sizeof(link), "%s/planted", tmpdir);
	if (symlink(path, link) == 0) {
		errno = 0;
		w = pcapng_open(link);
		CHECKF(w == NULL && errno == ELOOP, "symlink not followed (O_NOFOLLOW)", "errno %d",
		       errno);
		pcapng_close(w);
		CHECK(access(path, F_OK) != 0, "symlink target not created");
	}

	snprintf(path, sizeof(path), "%s/mode.pcapng", tmpdir);
	mode_t old = umask(022);
	w = pcapng_open(path);
	umask(old);
	pcapng_close(w);
	struct stat st;
	/* files hold command lines and maybe secrets: 0600 whatever the umask (procap(8),
	 * SECURITY; tcpdump's are 0644) */
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "mode 0600");
	int fl = -1;
	w = pcapng_open(path);
	/* the descriptor is close-on-exec: look for the one open on our file */
	for (int fd = 3; fd < 64 && w; fd++) {
		char proc[64], target[512];
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		ssize_t n = readlink(proc, target, sizeof(target) - 1);
		if (n > 0 && (target[n] = 0, strcmp(target, path) == 0))
			fl = fcntl(fd, F_GETFD);
	}
	pcapng_close(w);
	CHECK(fl >= 0 && (fl & FD_CLOEXEC), "O_CLOEXEC");
}

/* The ISB as the spec lays it out (§4.6), parsed here by walking the file's blocks: the
 * counters given to write_stats and the first/last packet times as start/end. */
static void test_isb(void)
{
	char path[512];
	size_t len = 0;
	uint8_t buf[1 << 16];

	/* the first two packets of the stream (60 and 0 bytes): a file that fits in buf */
	snprintf(path, sizeof(path), "%s/isb.pcapng", tmpdir);
	struct pcapng_writer *w = pcapng_open(path);
	int rc = w ? write_stream(w, 2) : -1;
	rc |= pcapng_close(w);
	FILE *f = fopen(path, "rb");
	len = f ? fread(buf, 1, sizeof(buf), f) : 0;
	if (f)
		fclose(f);
	uint64_t got[9] = { 0 };
	bool seen[9] = { false };
	int isbs = 0;
	for (size_t off = 0; !rc && off + 12 <= len;) {
		uint32_t type, blen;
		memcpy(&type, buf + off, 4);
		memcpy(&blen, buf + off + 4, 4);
		if (blen < 12 || off + blen > len)
			break;
		if (type == 5 && isbs++ == 0) {	/* the first: interface 0 */
			for (size_t o = off + 20; o + 4 <= off + blen - 4;) {
				uint16_t code, olen;
				memcpy(&code, buf + o, 2);
				memcpy(&olen, buf + o + 2, 2);
				if (code == 0)
					break;
				if (code < 9 && olen == 8) {
					seen[code] = true;
					memcpy(&got[code], buf + o + 4, 8);
					if (code == 2 || code == 3)	/* high, low 32-bit halves */
						got[code] = got[code] << 32 | got[code] >> 32;
				}
				o += 4 + ((olen + 3u) & ~3u);
			}
		}
		off += blen;
	}
	CHECK_INT(isbs, 2, "ISB: one per interface");
	CHECK(seen[2] && got[2] == 1700000000123456789ull, "ISB: isb_starttime = first packet");
	CHECK(seen[3] && got[3] == 1700000000123456789ull, "ISB: isb_endtime = last packet");
	CHECK(seen[4] && got[4] == 100 && seen[5] && got[5] == 1 && seen[8] && got[8] == 2,
	      "ISB: ifrecv, ifdrop, usrdeliv as given");
	CHECK(!seen[6] && !seen[7], "ISB: unknown counters left out");
}

/* The reader of our stdout went away: -EPIPE, not a crash (SIGPIPE ignored as main() does). */
static void test_epipe(void)
{
	int fds[2];
	struct packet p;
	uint8_t d[1500] = { 0 };

	signal(SIGPIPE, SIG_IGN);
	if (pipe(fds))
		return;
	close(fds[0]);
	struct pcapng_writer *w = pcapng_fdopen(fds[1], false);
	struct pcapng_if_info ifi = { "eth0", 1, 0, NULL };
	int rc = w ? pcapng_add_interface(w, &ifi) : -errno;
	memset(&p, 0, sizeof(p));
	p.cap_len = p.wire_len = sizeof(d);
	p.data = d;
	for (int i = 0; i < 1000 && rc >= 0; i++)
		rc = pcapng_write_packet(w, &p, NULL, 0);
	if (rc >= 0)
		rc = pcapng_flush(w);
	int crc = pcapng_close(w);
	CHECKF(rc == -EPIPE && crc == -EPIPE, "closed pipe: -EPIPE", "rc %d close %d", rc, crc);
}

int main(void)
{
	char cmd[300];

	if (!mkdtemp(tmpdir))
		return 1;
	test_roundtrip();
	test_tshark();
	test_gzip();
	test_size_limit();
	test_errors();
	test_isb();
	test_epipe();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd))
		return 1;
	return CHECK_EXIT();
}
