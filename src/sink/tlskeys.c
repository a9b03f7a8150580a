// SPDX-License-Identifier: BSD-3-Clause
/* TLS secrets into the -w file and the key log file (see tlskeys.h).
 * specification: draft-ietf-opsawg-pcapng §4.7 (Decryption Secrets Block, 0x544c534b);
 * draft-ietf-tls-keylogfile (NSS key log format: labels, hex, '#' comment lines). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pcapng.h"
#include "tls_decrypt.h"
#include "tls_random.h"
#include "tlskeys.h"
#include "util.h"

#define MAX_PENDING	256	/* handshakes waiting at once; one more releases the oldest */
#define RECENT_DONE	256	/* randoms whose secrets came before their ClientHello was read */
#define LINE_MAX_LEN	512	/* a key log line: label, 64 + up to 128 hex digits */

struct held {
	struct packet p;	/* data and comment point into the copies below */
	uint8_t *data;
	char *comment;
	uint64_t seq;
};

enum { HAVE_CLIENT_0 = 1, HAVE_SERVER_0 = 2, HAVE_ALL = 4 };

struct pending {
	uint8_t random[TLS_RANDOM_LEN];
	uint64_t seq;			/* of its ClientHello: packets from it on wait */
	uint64_t deadline_ms;		/* monotonic */
	uint8_t have;			/* HAVE_*: TLS 1.3 needs both traffic secrets */
	struct tlskeys_origin owner;	/* the ClientHello's process */
};

struct tlskeys {
	struct pcapng_out *w;
	int keylog_fd;			/* --keylog-file, -1 if none */
	struct held *q;			/* ring of held packets */
	size_t q_head, q_len, q_cap;
	size_t held_bytes;
	uint64_t next_seq;
	struct pending pend[MAX_PENDING];
	int n_pend;
	uint8_t done[RECENT_DONE][TLS_RANDOM_LEN];
	unsigned int done_next;
	int err;			/* sticky: -errno or PCAPNG_OUT_LIMIT */
};

bool tlskeys_wanted(const struct options *o)
{
	return o->tls_keys || (o->cmd && !o->no_keylog && (o->write_file || o->keylog_file));
}

bool tls_secrets_expected(const struct options *o)
{
	return tlskeys_wanted(o) || (o->cmd && !o->no_keylog && !o->read_file);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Opens the key log for appending (as SSLKEYLOGFILE clients do), 0600 even if it existed. */
static int open_keylog(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
	struct stat st;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 077) &&
	    fchmod(fd, st.st_mode & 0700)) {
		int err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

struct tlskeys *tlskeys_open(struct pcapng_out *w, const char *keylog_path)
{
	struct tlskeys *tk = xcalloc(1, sizeof(*tk));

	tk->w = w;
	tk->keylog_fd = -1;
	if (keylog_path) {
		tk->keylog_fd = open_keylog(keylog_path);
		if (tk->keylog_fd < 0) {
			pr_warn("--keylog-file %s: %s\n", keylog_path, strerror(-tk->keylog_fd));
			free(tk);
			return NULL;
		}
	}
	return tk;
}

/* ---- held packets ---- */

static int write_now(struct tlskeys *tk, const struct packet *p, const char *comment)
{
	int rc;

	if (tk->err)
		return tk->err;
	rc = pcapng_out_write_packet(tk->w, p, comment, comment ? strlen(comment) : 0);
	if (rc)
		tk->err = rc;
	return rc;
}

static void hold(struct tlskeys *tk, const struct packet *p, const char *comment)
{
	if (tk->q_len == tk->q_cap) {
		size_t cap = tk->q_cap ? tk->q_cap * 2 : 64;
		struct held *q = xmalloc(cap * sizeof(*q));

		for (size_t i = 0; i < tk->q_len; i++)
			q[i] = tk->q[(tk->q_head + i) % tk->q_cap];
		free(tk->q);
		tk->q = q;
		tk->q_head = 0;
		tk->q_cap = cap;
	}
	struct held *h = &tk->q[(tk->q_head + tk->q_len++) % tk->q_cap];
	h->p = *p;
	h->data = xmalloc(p->cap_len ? p->cap_len : 1);
	memcpy(h->data, p->data, p->cap_len);
	h->p.data = h->data;
	h->comment = comment ? xstrdup(comment) : NULL;
	h->p.comment = NULL;	/* the file's comment is h->comment */
	h->seq = tk->next_seq++;
	tk->held_bytes += sizeof(*h) + p->cap_len;
}

static void drop_pending(struct tlskeys *tk, int i)
{
	tk->pend[i] = tk->pend[--tk->n_pend];
}

/* The first packet that must still wait: the oldest waiting ClientHello's. */
static uint64_t first_waiting_seq(const struct tlskeys *tk)
{
	uint64_t seq = UINT64_MAX;

	for (int i = 0; i < tk->n_pend; i++)
		if (tk->pend[i].seq < seq)
			seq = tk->pend[i].seq;
	return seq;
}

/* Writes the held packets that no handshake holds back any longer, in order. */
static int release(struct tlskeys *tk)
{
	uint64_t limit = first_waiting_seq(tk);
	int rc = 0;

	while (tk->q_len) {
		struct held *h = &tk->q[tk->q_head];

		if (h->seq >= limit)
			break;
		if (!rc)
			rc = write_now(tk, &h->p, h->comment);
		tk->held_bytes -= sizeof(*h) + h->p.cap_len;
		free(h->data);
		free(h->comment);
		tk->q_head = (tk->q_head + 1) % tk->q_cap;
		tk->q_len--;
	}
	return rc;
}

/* Handshakes past their deadline (or all, when now is UINT64_MAX) stop holding packets. */
static void expire(struct tlskeys *tk, uint64_t now)
{
	for (int i = tk->n_pend - 1; i >= 0; i--)
		if (tk->pend[i].deadline_ms <= now)
			drop_pending(tk, i);
}

static void drop_oldest_pending(struct tlskeys *tk)
{
	int oldest = 0;

	for (int i = 1; i < tk->n_pend; i++)
		if (tk->pend[i].seq < tk->pend[oldest].seq)
			oldest = i;
	if (tk->n_pend)
		drop_pending(tk, oldest);
}

static bool recently_done(const struct tlskeys *tk, const uint8_t random[TLS_RANDOM_LEN])
{
	for (int i = 0; i < RECENT_DONE; i++)
		if (!memcmp(tk->done[i], random, TLS_RANDOM_LEN))
			return true;
	return false;
}

int tlskeys_packet(struct tlskeys *tk, const struct packet *p, const char *comment)
{
	uint8_t random[TLS_RANDOM_LEN];
	uint64_t now = now_ms();
	int rc;

	if (tk->err)
		return tk->err;
	expire(tk, now);
	if (p->linktype == 1 && tls_client_random(p->data, p->cap_len, random) &&
	    !recently_done(tk, random)) {
		if (tk->n_pend == MAX_PENDING)
			drop_oldest_pending(tk);
		struct pending *pd = &tk->pend[tk->n_pend++];

		memcpy(pd->random, random, TLS_RANDOM_LEN);
		pd->seq = tk->next_seq;
		pd->deadline_ms = now + TLSKEYS_HOLD_MS;
		pd->have = 0;
		memset(&pd->owner, 0, sizeof(pd->owner));
		if (p->proc.valid) {
			pd->owner.pid = p->proc.pid;
			pd->owner.tid = p->proc.tid;
			memcpy(pd->owner.comm, p->proc.comm, sizeof(pd->owner.comm));
		}
	}
	if (!tk->q_len && !tk->n_pend)
		return write_now(tk, p, comment);
	hold(tk, p, comment);
	while (tk->held_bytes > TLSKEYS_HOLD_BYTES && tk->n_pend)
		drop_oldest_pending(tk);
	rc = release(tk);
	return rc;
}

int tlskeys_tick(struct tlskeys *tk)
{
	if (tk->err)
		return tk->err;
	expire(tk, now_ms());
	return release(tk);
}

/* ---- secrets ---- */

/* One key log line (no newline): "LABEL RANDOM SECRET", a 32-byte random and a secret of 1 to
 * 64 bytes. Fills random and the label's HAVE_* bit; false for anything else. */
static bool parse_line(const char *line, size_t len, uint8_t random[TLS_RANDOM_LEN],
		       uint8_t *have)
{
	const char *sp1 = memchr(line, ' ', len), *sp2;
	size_t label_len, secret_len;

	if (!sp1)
		return false;
	label_len = (size_t)(sp1 - line);
	if (label_len == 0)
		return false;
	for (size_t i = 0; i < label_len; i++)
		if (!((line[i] >= 'A' && line[i] <= 'Z') || (line[i] >= '0' && line[i] <= '9') ||
		      line[i] == '_'))
			return false;
	if (len - label_len - 1 < 2 * TLS_RANDOM_LEN + 1)
		return false;
	sp2 = sp1 + 1 + 2 * TLS_RANDOM_LEN;
	if (*sp2 != ' ' || !tlsd_unhex(sp1 + 1, TLS_RANDOM_LEN, random))
		return false;
	secret_len = len - (size_t)(sp2 + 1 - line);
	if (secret_len == 0 || secret_len % 2 || secret_len > 128)
		return false;
	uint8_t secret[64];
	if (!tlsd_unhex(sp2 + 1, secret_len / 2, secret))
		return false;
	*have = 0;
	if (label_len == 13 && !memcmp(line, "CLIENT_RANDOM", 13))
		*have = HAVE_ALL;	/* TLS 1.2: the master secret decrypts everything */
	else if (label_len == 23 && !memcmp(line, "CLIENT_TRAFFIC_SECRET_0", 23))
		*have = HAVE_CLIENT_0;
	else if (label_len == 23 && !memcmp(line, "SERVER_TRAFFIC_SECRET_0", 23))
		*have = HAVE_SERVER_0;
	return true;
}

static void mark(struct tlskeys *tk, const uint8_t random[TLS_RANDOM_LEN], uint8_t have,
		 struct tlskeys_origin *owner)
{
	for (int i = 0; i < tk->n_pend; i++) {
		struct pending *pd = &tk->pend[i];

		if (memcmp(pd->random, random, TLS_RANDOM_LEN))
			continue;
		if (!owner->pid)
			*owner = pd->owner;
		pd->have |= have;
		if ((pd->have & HAVE_ALL) ||
		    (pd->have & (HAVE_CLIENT_0 | HAVE_SERVER_0)) == (HAVE_CLIENT_0 | HAVE_SERVER_0))
			drop_pending(tk, i);
		return;
	}
	/* not seen yet (the key log was read before the ring): its ClientHello need not wait */
	memcpy(tk->done[tk->done_next++ % RECENT_DONE], random, TLS_RANDOM_LEN);
}

static int write_keylog(struct tlskeys *tk, const char *text, size_t len)
{
	while (len) {
		ssize_t n = write(tk->keylog_fd, text, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		text += n;
		len -= (size_t)n;
	}
	return 0;
}

/* One DSB (and key log group) per run of lines of one connection. */
static int emit(struct tlskeys *tk, const char *text, size_t len,
		const struct tlskeys_origin *who)
{
	char comment[96] = "", head[80] = "";
	int rc = 0;

	if (who->pid) {
		snprintf(comment, sizeof(comment), "PID: %u\nTID: %u\nCmd: %.15s", who->pid,
			 who->tid, who->comm);
		snprintf(head, sizeof(head), "# PID %u TID %u %.15s\n", who->pid, who->tid,
			 who->comm);
	}
	if (tk->w && !tk->err) {
		rc = pcapng_out_write_dsb(tk->w, PCAPNG_DSB_TLS_KEYLOG, text, len, comment);
		if (rc)
			tk->err = rc;
	}
	if (tk->keylog_fd >= 0) {
		int krc = write_keylog(tk, head, strlen(head));
		if (!krc)
			krc = write_keylog(tk, text, len);
		if (krc) {
			pr_warn("--keylog-file: %s\n", strerror(-krc));
			close(tk->keylog_fd);
			tk->keylog_fd = -1;
			if (!rc)
				rc = krc;
		}
	}
	return rc;
}

int tlskeys_secrets(struct tlskeys *tk, const char *text, size_t len,
		    const struct tlskeys_origin *origin)
{
	char group[4 * LINE_MAX_LEN];
	uint8_t group_random[TLS_RANDOM_LEN];
	struct tlskeys_origin who;
	size_t glen = 0;
	int rc = 0;

	memset(&who, 0, sizeof(who));
	if (origin)
		who = *origin;
	while (len) {
		const char *nl = memchr(text, '\n', len);
		size_t n, line_len;
		uint8_t random[TLS_RANDOM_LEN], have;

		if (!nl)
			break;	/* a partial line: the caller keeps it */
		n = (size_t)(nl - text) + 1;
		line_len = n - 1;
		if (line_len && text[line_len - 1] == '\r')
			line_len--;
		if (line_len < LINE_MAX_LEN && parse_line(text, line_len, random, &have)) {
			if (glen && (memcmp(random, group_random, TLS_RANDOM_LEN) ||
				     glen + line_len + 1 > sizeof(group))) {
				int r = emit(tk, group, glen, &who);
				if (r && !rc)
					rc = r;
				glen = 0;
				if (origin)
					who = *origin;
				else
					memset(&who, 0, sizeof(who));
			}
			memcpy(group_random, random, TLS_RANDOM_LEN);
			memcpy(group + glen, text, line_len);
			group[glen + line_len] = '\n';
			glen += line_len + 1;
			mark(tk, random, have, &who);
		}
		text += n;
		len -= n;
	}
	if (glen) {
		int r = emit(tk, group, glen, &who);
		if (r && !rc)
			rc = r;
	}
	int r = release(tk);
	return rc ? rc : r;
}

int tlskeys_close(struct tlskeys *tk)
{
	int rc;

	if (!tk)
		return 0;
	expire(tk, UINT64_MAX);
	rc = release(tk);
	if (tk->keylog_fd >= 0 && close(tk->keylog_fd) && !rc)
		rc = -errno;
	free(tk->q);
	free(tk);
	return rc;
}
