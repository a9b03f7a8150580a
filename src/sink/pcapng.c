// SPDX-License-Identifier: BSD-3-Clause
/* pcapng writer. specification: draft-ietf-opsawg-pcapng-02 (SHB §4.1, IDB §4.2, EPB §4.3,
 * ISB §4.6, DSB §4.7, options §3.5); epb_processid_threadid (EPB option 8) and the Custom
 * Block (§4.8) from the draft's current text (draft-ietf-opsawg-pcapng-03). Blocks are
 * written in host byte order (the SHB's byte-order magic tells readers which). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "pcapng.h"
#include "util.h"

enum {
	BT_SHB = 0x0A0D0D0A, BT_IDB = 1, BT_NRB = 4, BT_ISB = 5, BT_EPB = 6, BT_DSB = 10,
	BT_CUSTOM_COPY = 0x00000BAD,
	OPT_END = 0, OPT_COMMENT = 1,
	SHB_HARDWARE = 2, SHB_OS = 3, SHB_USERAPPL = 4,
	IF_NAME = 2, IF_TSRESOL = 9, IF_FILTER = 11,
	EPB_FLAGS = 2, EPB_DROPCOUNT = 4, EPB_PACKETID = 5, EPB_PROCESSID_THREADID = 8,
	ISB_STARTTIME = 2, ISB_ENDTIME = 3, ISB_IFRECV = 4, ISB_IFDROP = 5,
	ISB_FILTERACCEPT = 6, ISB_OSDROP = 7, ISB_USRDELIV = 8,
};

#define OUTBUF_SIZE (256u << 10)	/* written out once this much is buffered */
#define OPT_MAX_VALUE 65532u	/* option length is 16 bits; keep the padded value under it */

#define PIB_SLOTS 1024	/* processes remembered as described (a collision only repeats a PIB) */

struct if_times {
	uint64_t first_ns, last_ns;
	bool seen;
};

struct pcapng_writer {
	int fd;
	gzFile gz;		/* non-NULL: gzip output through zlib */
	int err;		/* first error (-errno); sticky */
	uint64_t committed;	/* bytes of complete blocks known to be in the file */
	uint8_t *out;		/* complete blocks waiting to be written, then the block being
				   built (built in place: no copy per block) */
	size_t out_len;		/* bytes of complete blocks in out */
	size_t blk_len;		/* bytes of the block being built, at out + out_len */
	size_t out_cap;
	struct if_times *ifs;
	uint32_t n_ifs;
	struct pib_slot *pibs;	/* --pib: the owners described so far; NULL = no PIBs */
	uint64_t pib_serial;	/* proc_meta.serial of the last owner checked */
	uint64_t packets;	/* EPBs written: the next one is frame packets + 1 */
};

/* ---- block builder ---- */

static uint8_t *blk(struct pcapng_writer *w)
{
	return w->out + w->out_len;
}

/* Room for n more bytes of a block bigger than the slack after OUTBUF_SIZE (a jumbo snaplen). */
static void blk_grow(struct pcapng_writer *w, size_t n)
{
	size_t cap = w->out_cap;

	while (cap < w->out_len + w->blk_len + n)
		cap *= 2;
	w->out = xrealloc(w->out, cap);
	w->out_cap = cap;
}

/* Inline: most calls copy a constant 4 or 8 bytes, which then compile to a store or two. */
static inline void blk_put(struct pcapng_writer *w, const void *src, size_t n)
{
	if (!n)
		return;
	if (w->out_len + w->blk_len + n > w->out_cap)
		blk_grow(w, n);
	memcpy(blk(w) + w->blk_len, src, n);
	w->blk_len += n;
}

static void blk_u16(struct pcapng_writer *w, uint16_t v) { blk_put(w, &v, 2); }
static void blk_u32(struct pcapng_writer *w, uint32_t v) { blk_put(w, &v, 4); }

static void blk_pad(struct pcapng_writer *w)
{
	static const uint8_t zero[4];
	blk_put(w, zero, (4 - (w->blk_len & 3)) & 3);
}

static void blk_begin(struct pcapng_writer *w, uint32_t type)
{
	uint32_t head[2] = { type, 0 };	/* total length filled by blk_finish */

	w->blk_len = 0;
	blk_put(w, head, sizeof(head));
}

/* Appends the trailing length and sets the leading one: the block is now complete. */
static void blk_finish(struct pcapng_writer *w)
{
	uint32_t total = (uint32_t)w->blk_len + 4;
	blk_u32(w, total);
	memcpy(blk(w) + 4, &total, 4);
}

static void opt_put(struct pcapng_writer *w, uint16_t code, const void *val, size_t len)
{
	if (len > OPT_MAX_VALUE)
		len = OPT_MAX_VALUE;
	uint16_t head[2] = { code, (uint16_t)len };
	blk_put(w, head, sizeof(head));
	blk_put(w, val, len);
	blk_pad(w);
}

/* An option at b, inside room already reserved; len must be a multiple of 4 or padded by the
 * caller. Returns the end. */
static inline uint8_t *opt_at(uint8_t *b, uint16_t code, const void *val, uint16_t len)
{
	uint16_t head[2] = { code, len };

	memcpy(b, head, 4);
	if (len)
		memcpy(b + 4, val, len);
	return b + 4 + len;
}

static void opt_str(struct pcapng_writer *w, uint16_t code, const char *s)
{
	if (s && *s)
		opt_put(w, code, s, strlen(s));
}

static void opt_u64(struct pcapng_writer *w, uint16_t code, uint64_t v)
{
	opt_put(w, code, &v, 8);
}

/* pcapng timestamps with if_tsresol 9: two 32-bit halves, high first (also in ISB options). */
static void opt_ts(struct pcapng_writer *w, uint16_t code, uint64_t ns)
{
	uint32_t hl[2] = { (uint32_t)(ns >> 32), (uint32_t)ns };
	opt_put(w, code, hl, 8);
}

static void opt_end(struct pcapng_writer *w, size_t opts_start)
{
	if (w->blk_len > opts_start)
		opt_put(w, OPT_END, NULL, 0);
}

/* ---- output ---- */

static ssize_t write_raw(struct pcapng_writer *w, const uint8_t *buf, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t k;
		if (w->gz) {
			unsigned chunk = n - done > (1u << 30) ? 1u << 30 : (unsigned)(n - done);
			int z = gzwrite(w->gz, buf + done, chunk);
			if (z <= 0) {
				int zerr;
				gzerror(w->gz, &zerr);
				errno = zerr == Z_ERRNO && errno ? errno : EIO;
				return done ? (ssize_t)done : -1;
			}
			k = z;
		} else {
			k = write(w->fd, buf + done, n - done);
			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0) {
				if (k == 0)
					errno = ENOSPC;
				return done ? (ssize_t)done : -1;
			}
		}
		done += (size_t)k;
	}
	return (ssize_t)done;
}

/* A write of buf (whole blocks) failed after `written` bytes: cut a regular file back to the
 * end of the last block that made it entirely, so readers never see half a block. */
static void cut_to_complete(struct pcapng_writer *w, const uint8_t *buf, size_t len, size_t written)
{
	size_t good = 0;
	struct stat st;

	while (good + 8 <= len) {
		uint32_t blen;
		memcpy(&blen, buf + good + 4, 4);
		if (good + blen > written)
			break;
		good += blen;
	}
	w->committed += good;
	if (!w->gz && fstat(w->fd, &st) == 0 && S_ISREG(st.st_mode))
		(void)!ftruncate(w->fd, (off_t)w->committed);
}

static int write_blocks(struct pcapng_writer *w, const uint8_t *buf, size_t len)
{
	ssize_t n = write_raw(w, buf, len);

	if (n == (ssize_t)len) {
		w->committed += len;
		return 0;
	}
	w->err = -errno;
	cut_to_complete(w, buf, len, n < 0 ? 0 : (size_t)n);
	return w->err;
}

/* -errno of a failed zlib call: the write(2) error (ENOSPC, EDQUOT...) when zlib met one,
 * so a full disk is named on .gz output as on plain output; EIO for zlib's own errors. */
static int gz_err(gzFile gz)
{
	int zerr, e = errno;

	gzerror(gz, &zerr);
	return zerr == Z_ERRNO && e ? -e : -EIO;
}

int pcapng_flush(struct pcapng_writer *w)
{
	if (w->err)
		return w->err;
	if (w->out_len) {
		int rc = write_blocks(w, w->out, w->out_len);
		w->out_len = 0;
		if (rc)
			return rc;
	}
	if (w->gz) {
		errno = 0;
		if (gzflush(w->gz, Z_SYNC_FLUSH) != Z_OK) {
			w->err = gz_err(w->gz);
			return w->err;
		}
	}
	return 0;
}

/* The finished block joins the complete ones; one write() once OUTBUF_SIZE of them wait. */
static int emit_block(struct pcapng_writer *w)
{
	if (w->err)
		return w->err;
	w->out_len += w->blk_len;
	w->blk_len = 0;
	if (w->out_len < OUTBUF_SIZE)
		return 0;
	int rc = write_blocks(w, w->out, w->out_len);
	w->out_len = 0;
	return rc;
}

uint64_t pcapng_size(const struct pcapng_writer *w)
{
	return w->committed + w->out_len;
}

/* ---- blocks ---- */

static int write_shb(struct pcapng_writer *w)
{
	struct utsname u;
	char os[sizeof(u.sysname) + sizeof(u.release) + 2];
	int64_t section_len = -1;	/* unknown: we never seek back */

	blk_begin(w, BT_SHB);
	blk_u32(w, 0x1A2B3C4D);
	blk_u16(w, 1);
	blk_u16(w, 0);
	blk_put(w, &section_len, 8);
	size_t opts = w->blk_len;
	if (uname(&u) == 0) {
		opt_str(w, SHB_HARDWARE, u.machine);
		snprintf(os, sizeof(os), "%s %s", u.sysname, u.release);
		opt_str(w, SHB_OS, os);
	}
	opt_str(w, SHB_USERAPPL, "procap " PROCAP_VERSION);
	opt_end(w, opts);
	blk_finish(w);
	return emit_block(w);
}

struct pcapng_writer *pcapng_fdopen(int fd, bool gzip)
{
	struct pcapng_writer *w = xcalloc(1, sizeof(*w));

	w->fd = fd;
	if (gzip) {
		int zfd = fd > 2 ? fd : dup(fd);	/* gzclose closes its fd; keep stdio open */
		w->gz = zfd >= 0 ? gzdopen(zfd, "wb") : NULL;
		if (!w->gz) {
			int e = errno ? errno : ENOMEM;
			if (zfd >= 0 && zfd != fd)
				close(zfd);
			if (fd > 2)
				close(fd);
			free(w);
			errno = e;
			return NULL;
		}
	}
	w->out_cap = OUTBUF_SIZE + (64u << 10);	/* slack for the block that crosses the mark */
	w->out = xmalloc(w->out_cap);
	prefault(w->out, w->out_cap);	/* 80 page faults otherwise, in the first packets */
	if (write_shb(w)) {
		int e = -w->err;
		pcapng_close(w);
		errno = e;
		return NULL;
	}
	return w;
}

static bool has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && strcmp(s + n - m, suf) == 0;
}

struct pcapng_writer *pcapng_open(const char *path)
{
	/* 0600: packets and their comments (command lines, TLS secrets) are the operator's */
	return pcapng_open_mode(path, 0600);
}

struct pcapng_writer *pcapng_open_mode(const char *path, mode_t mode)
{
	struct stat st;
	int fd;

	if (strcmp(path, "-") == 0)
		return pcapng_fdopen(1, false);
	/* O_NOFOLLOW: a symlink planted in a shared directory must not redirect the capture. */
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return NULL;
	/* an existing file keeps its mode through O_CREAT: narrow it (files with secrets) */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 07777 & ~mode) &&
	    fchmod(fd, st.st_mode & mode)) {
		int e = errno;
		close(fd);
		errno = e;
		return NULL;
	}
	return pcapng_fdopen(fd, has_suffix(path, ".gz"));
}

int pcapng_add_interface(struct pcapng_writer *w, const struct pcapng_if_info *ifi)
{
	uint8_t tsresol = 9;	/* nanoseconds */
	int rc;

	if (w->err)
		return w->err;
	blk_begin(w, BT_IDB);
	blk_u16(w, (uint16_t)ifi->linktype);
	blk_u16(w, 0);
	blk_u32(w, ifi->snaplen);
	size_t opts = w->blk_len;
	opt_str(w, IF_NAME, ifi->name);
	opt_put(w, IF_TSRESOL, &tsresol, 1);
	if (ifi->filter && *ifi->filter) {
		/* if_filter: one byte of filter type (0 = libpcap expression), then the string */
		size_t n = strlen(ifi->filter);
		uint8_t *v = xmalloc(n + 1);
		v[0] = 0;
		memcpy(v + 1, ifi->filter, n);
		opt_put(w, IF_FILTER, v, n + 1);
		free(v);
	}
	opt_end(w, opts);
	blk_finish(w);
	rc = emit_block(w);
	if (rc)
		return rc;
	w->ifs = xrealloc(w->ifs, (w->n_ifs + 1) * sizeof(*w->ifs));
	memset(&w->ifs[w->n_ifs], 0, sizeof(*w->ifs));
	return (int)w->n_ifs++;
}

/* ---- Process Information Blocks (--pib) ---- */

struct pib_slot {
	uint32_t pid;
	uint64_t digest;	/* of the fields a PIB carries; 0 = empty slot */
};

void pcapng_set_pib(struct pcapng_writer *w, bool on)
{
	free(w->pibs);
	w->pibs = on ? xcalloc(PIB_SLOTS, sizeof(*w->pibs)) : NULL;
	w->pib_serial = 0;
}

static uint64_t fnv_str(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 1099511628211ull;
	return (h ^ 0xff) * 1099511628211ull;	/* separator: "ab","c" differs from "a","bc" */
}

static uint64_t owner_digest(const struct proc_meta *m)
{
	uint64_t h = 14695981039346656037ull;

	h = fnv_str(h, m->comm);
	h = fnv_str(h, m->exe);
	h = fnv_str(h, m->args);
	h = (h ^ m->ppid) * 1099511628211ull;
	h = (h ^ m->uid) * 1099511628211ull;
	return h ? h : 1;
}

/* One custom block (PEN 32622, entry type 3) describing m: PID, then name, path, command
 * line, parent PID and user id as options (layout in pcapng.h). */
static int write_pib(struct pcapng_writer *w, const struct proc_meta *m)
{
	blk_begin(w, BT_CUSTOM_COPY);
	blk_u32(w, PCAPNG_PEN_WIRESHARK);
	blk_u32(w, PCAPNG_PIB_ENTRY_TYPE);
	blk_u32(w, m->pid);
	size_t opts = w->blk_len;
	opt_str(w, PCAPNG_PIB_NAME, m->comm);
	opt_str(w, PCAPNG_PIB_PATH, m->exe);
	opt_str(w, PCAPNG_PIB_CMDLINE, m->args);
	if (m->ppid)
		opt_put(w, PCAPNG_PIB_PPID, &m->ppid, 4);
	if (m->uid != UINT32_MAX)	/* UINT32_MAX: not known */
		opt_put(w, PCAPNG_PIB_UID, &m->uid, 4);
	opt_end(w, opts);
	blk_finish(w);
	return emit_block(w);
}

/* A PIB ahead of the first packet of each owner, and again when its fields change. */
static int describe_owner(struct pcapng_writer *w, const struct proc_meta *m)
{
	if (m->serial && m->serial == w->pib_serial)
		return 0;	/* the same fill of the same owner as the last packet */
	w->pib_serial = m->serial;
	uint64_t d = owner_digest(m);
	struct pib_slot *s = &w->pibs[m->pid % PIB_SLOTS];
	if (s->digest == d && s->pid == m->pid)
		return 0;
	s->pid = m->pid;
	s->digest = d;
	return write_pib(w, m);
}

int pcapng_write_packet(struct pcapng_writer *w, const struct packet *p, const char *comment,
			size_t comment_len)
{
	if (w->err)
		return w->err;
	if (p->if_id >= w->n_ifs)
		return -EINVAL;
	if (w->pibs && p->proc.valid && p->proc.pid) {
		int rc = describe_owner(w, &p->proc);
		if (rc)
			return rc;
	}
	/* Built in one reservation: this runs for every packet, and an option at a time (a
	 * capacity check and a copy per piece) cost a third of the -w path. */
	size_t clen = comment ? comment_len : 0;
	if (clen > OPT_MAX_VALUE)
		clen = OPT_MAX_VALUE;
	size_t max = 28 + p->cap_len + 3 + (clen ? 4 + clen + 3 : 0) + 4 * 12 + 4;
	w->blk_len = 0;
	if (w->out_len + max > w->out_cap)
		blk_grow(w, max);
	uint8_t *start = blk(w), *b = start + 8;	/* type and length go in at the end */
	uint32_t fixed[5] = {	/* interface, timestamp (high, low), captured and original length */
		p->if_id, (uint32_t)(p->ts_ns >> 32), (uint32_t)p->ts_ns, p->cap_len,
		p->wire_len > p->cap_len ? p->wire_len : p->cap_len,
	};
	memcpy(b, fixed, sizeof(fixed));
	b += sizeof(fixed);
	memcpy(b, p->data, p->cap_len);
	b += p->cap_len;
	memset(b, 0, 3);
	b += (4 - (p->cap_len & 3)) & 3;
	if (clen) {
		b = opt_at(b, OPT_COMMENT, comment, (uint16_t)clen);
		memset(b, 0, 3);
		b += (4 - (clen & 3)) & 3;
	}
	if (p->dir == PKT_DIR_IN || p->dir == PKT_DIR_OUT) {
		uint32_t flags = p->dir == PKT_DIR_IN ? 1 : 2;	/* bits 0-1: inbound/outbound */
		b = opt_at(b, EPB_FLAGS, &flags, 4);
	}
	if (p->has_dropcount)
		b = opt_at(b, EPB_DROPCOUNT, &p->dropcount, 8);
	/* a live packet's number is its frame number until a rotation starts a new file: 12
	 * bytes a packet (7% of a 64-byte flood's file) that told nothing */
	if (p->has_packet_id && !(p->packet_id_ordinal && p->packet_id == w->packets + 1))
		b = opt_at(b, EPB_PACKETID, &p->packet_id, 8);
	if ((p->proc.valid && p->proc.pid) || p->has_epb_pid) {
		/* the owner's; or, converting a file, the packet's own option */
		uint32_t ids[2] = { p->epb_pid, p->epb_tid };
		if (p->proc.valid && p->proc.pid) {
			ids[0] = p->proc.pid;
			ids[1] = p->proc.tid;
		}
		b = opt_at(b, EPB_PROCESSID_THREADID, ids, 8);
	}
	/* no opt_endofopt: the options end with the block, which readers must check anyway
	 * (draft-ietf-opsawg-pcapng section 3.5); 4 bytes on every packet */
	uint32_t head[2] = { BT_EPB, (uint32_t)(b - start) + 4 };
	memcpy(start, head, 8);
	memcpy(b, &head[1], 4);
	w->blk_len = head[1];

	struct if_times *t = &w->ifs[p->if_id];
	if (!t->seen || p->ts_ns < t->first_ns)
		t->first_ns = p->ts_ns;
	if (!t->seen || p->ts_ns > t->last_ns)
		t->last_ns = p->ts_ns;
	t->seen = true;
	w->packets++;
	return emit_block(w);
}

int pcapng_write_dsb(struct pcapng_writer *w, uint32_t secrets_type, const void *data,
		     size_t len, const char *comment)
{
	if (w->err)
		return w->err;
	if (len > PCAPNG_DSB_MAX)
		return -EMSGSIZE;
	blk_begin(w, BT_DSB);
	blk_u32(w, secrets_type);
	blk_u32(w, (uint32_t)len);
	blk_put(w, data, len);
	blk_pad(w);
	size_t opts = w->blk_len;
	opt_str(w, OPT_COMMENT, comment);
	opt_end(w, opts);
	blk_finish(w);
	return emit_block(w);
}

int pcapng_write_nrb(struct pcapng_writer *w, const struct name_rec *recs, size_t n)
{
	if (w->err)
		return w->err;
	if (n == 0)
		return 0;
	blk_begin(w, BT_NRB);
	for (size_t i = 0; i < n; i++) {
		size_t alen = recs[i].ver == 6 ? 16 : 4, nlen = strlen(recs[i].name) + 1;

		blk_u16(w, recs[i].ver == 6 ? 2 : 1);	/* nrb_record_ipv6 / nrb_record_ipv4 */
		blk_u16(w, (uint16_t)(alen + nlen));
		blk_put(w, recs[i].addr, alen);
		blk_put(w, recs[i].name, nlen);
		blk_pad(w);
	}
	blk_u32(w, 0);		/* nrb_record_end: type 0, length 0 */
	blk_finish(w);
	return emit_block(w);
}

void pcapng_stats_init(struct pcapng_if_stats *st)
{
	st->starttime_ns = st->endtime_ns = PCAPNG_UNKNOWN;
	st->ifrecv = st->ifdrop = st->filteraccept = st->osdrop = st->usrdeliv = PCAPNG_UNKNOWN;
}

int pcapng_write_stats(struct pcapng_writer *w, uint32_t if_id, const struct pcapng_if_stats *st)
{
	struct pcapng_if_stats s;
	struct timespec now;

	if (w->err)
		return w->err;
	if (if_id >= w->n_ifs)
		return -EINVAL;
	if (st)
		s = *st;
	else
		pcapng_stats_init(&s);
	if (s.starttime_ns == PCAPNG_UNKNOWN && w->ifs[if_id].seen)
		s.starttime_ns = w->ifs[if_id].first_ns;
	if (s.endtime_ns == PCAPNG_UNKNOWN && w->ifs[if_id].seen)
		s.endtime_ns = w->ifs[if_id].last_ns;
	clock_gettime(CLOCK_REALTIME, &now);
	uint64_t ts = s.endtime_ns != PCAPNG_UNKNOWN ? s.endtime_ns :
		      (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;

	blk_begin(w, BT_ISB);
	blk_u32(w, if_id);
	blk_u32(w, (uint32_t)(ts >> 32));
	blk_u32(w, (uint32_t)ts);
	size_t opts = w->blk_len;
	if (s.starttime_ns != PCAPNG_UNKNOWN)
		opt_ts(w, ISB_STARTTIME, s.starttime_ns);
	if (s.endtime_ns != PCAPNG_UNKNOWN)
		opt_ts(w, ISB_ENDTIME, s.endtime_ns);
	if (s.ifrecv != PCAPNG_UNKNOWN)
		opt_u64(w, ISB_IFRECV, s.ifrecv);
	if (s.ifdrop != PCAPNG_UNKNOWN)
		opt_u64(w, ISB_IFDROP, s.ifdrop);
	if (s.filteraccept != PCAPNG_UNKNOWN)
		opt_u64(w, ISB_FILTERACCEPT, s.filteraccept);
	if (s.osdrop != PCAPNG_UNKNOWN)
		opt_u64(w, ISB_OSDROP, s.osdrop);
	if (s.usrdeliv != PCAPNG_UNKNOWN)
		opt_u64(w, ISB_USRDELIV, s.usrdeliv);
	opt_end(w, opts);
	blk_finish(w);
	return emit_block(w);
}

int pcapng_close(struct pcapng_writer *w)
{
	int rc;

	if (!w)
		return 0;
	rc = w->err ? w->err : pcapng_flush(w);
	if (w->gz) {
		errno = 0;
		int z = gzclose(w->gz);	/* writes what zlib still holds: ENOSPC shows here */
		if (z != Z_OK && !rc)
			rc = z == Z_ERRNO && errno ? -errno : -EIO;
		w->fd = -1;	/* gzclose closed the descriptor it was given */
	}
	if (w->fd > 2 && close(w->fd) && !rc)
		rc = -errno;
	free(w->out);
	free(w->ifs);
	free(w->pibs);
	free(w);
	return rc;
}
