// SPDX-License-Identifier: BSD-3-Clause
/* procap's per-packet pcapng comment: "Key: value" lines (format documented in comment.h and
 * the man page). Written by the -w sink, read back by -r so a replay prints the process columns
 * the live run printed. */
#include <stdlib.h>
#include <string.h>

#include "comment.h"
#include "tcpinfo.h"
#include "util.h"

static const char *const source_names[] = {
	[OWNER_NONE] = "none", [OWNER_COOKIE] = "cookie", [OWNER_TUPLE] = "tuple",
	[OWNER_PROC] = "proc", [OWNER_COMM] = "comm",
};
#define N_SOURCES (sizeof(source_names) / sizeof(source_names[0]))

struct out {
	char *buf;
	size_t len, used;
	bool full;
};

/* Appends "Key: value" (value escaped) as one line, or nothing if it does not fit whole.
 * Byte by byte rather than through snprintf: this runs for every field of every comment the
 * cache misses. */
static void put_line(struct out *o, const char *key, const char *val)
{
	static const char hex[] = "0123456789abcdef";
	char line[COMMENT_MAX];
	size_t n = 0, klen = strlen(key);	/* keys are short literals */

	if (o->full || !val)
		return;
	if (o->used)
		line[n++] = '\n';
	memcpy(line + n, key, klen);
	n += klen;
	line[n++] = ':';
	line[n++] = ' ';
	for (const unsigned char *s = (const unsigned char *)val; *s; s++) {
		if (n + 5 >= sizeof(line))
			return;	/* cannot happen with the bounded proc_meta strings */
		if (*s == '\\') {
			line[n++] = '\\';
			line[n++] = '\\';
		} else if (*s < 0x20 || *s == 0x7f) {
			line[n++] = '\\';
			line[n++] = 'x';
			line[n++] = hex[*s >> 4];
			line[n++] = hex[*s & 15];
		} else {
			line[n++] = (char)*s;
		}
	}
	if (o->used + n + 1 > o->len) {
		o->full = true;
		return;
	}
	memcpy(o->buf + o->used, line, n);
	o->used += n;
	o->buf[o->used] = 0;
}

static void put_num(struct out *o, const char *key, unsigned long v)
{
	char num[24], *s = num + sizeof(num) - 1;

	*s = 0;
	do
		*--s = (char)('0' + v % 10);
	while (v /= 10);
	put_line(o, key, s);
}

static void put_str(struct out *o, const char *key, const char *v)
{
	if (v && *v)
		put_line(o, key, v);
}

/* The full comment, or with brief only the lines that change within a flow (see comment.h). */
static size_t format(const struct packet *p, const char *sni, const char *ja4, bool brief,
		     char *buf, size_t len)
{
	struct out o = { buf, len, 0, len == 0 };
	const struct proc_meta *m = &p->proc;

	if (len)
		buf[0] = 0;
	if (m->valid) {
		put_num(&o, "PID", m->pid);
		if (m->tid)
			put_num(&o, "TID", m->tid);
		put_str(&o, "Cmd", m->comm);
		if (!brief) {
			put_str(&o, "Exe", m->exe);
			put_str(&o, "Args", m->args);
			if (m->ppid)
				put_num(&o, "PPID", m->ppid);
			if (m->uid != COMMENT_UID_UNKNOWN)
				put_num(&o, "UID", m->uid);
			put_str(&o, "Cgroup", m->cgroup);
		}
		put_str(&o, "Container", m->container);
		put_str(&o, "ContainerName", m->ctr.name);
		put_str(&o, "Image", m->ctr.image);
		put_str(&o, "Pod", m->ctr.pod);
		put_str(&o, "PodNamespace", m->ctr.pod_ns);
		put_str(&o, "PodContainer", m->ctr.pod_ctr);
	}
	put_line(&o, "Source", m->valid && m->source < N_SOURCES ? source_names[m->source] : "none");
	if (p->peer.valid) {	/* the receiving local process (procap(8) ATTRIBUTION) */
		put_num(&o, "PeerPID", p->peer.pid);
		if (p->peer.tid)
			put_num(&o, "PeerTID", p->peer.tid);
		put_str(&o, "PeerCmd", p->peer.comm);
		if (!brief)
			put_str(&o, "PeerExe", p->peer.exe);
		put_str(&o, "PeerContainer", p->peer.container);
	}
	if (!brief) {
		put_str(&o, "SNI", sni);
		put_str(&o, "JA4", ja4);
	}
	return o.used;
}

size_t comment_format(const struct packet *p, const char *sni, const char *ja4, char *buf,
		      size_t len)
{
	return format(p, sni, ja4, false, buf, len);
}

size_t comment_format_short(const struct packet *p, char *buf, size_t len)
{
	return format(p, NULL, NULL, true, buf, len);
}

/* ---- cache ---- */

#define CACHE_ENTRIES	4	/* owners whose packets interleave */
#define CACHE_KEY_MAX	256	/* longer SNI/JA4 values (the flow table has none) are not cached */

struct cache_entry {
	bool used;
	bool brief;		/* text is the short comment */
	struct proc_meta owner, peer;
	char sni[CACHE_KEY_MAX], ja4[CACHE_KEY_MAX];
	char text[COMMENT_MAX];
	size_t len;		/* strlen(text) */
};

struct comment_cache {
	struct cache_entry e[CACHE_ENTRIES];
	unsigned last;		/* the entry of the previous packet, tried first */
	unsigned victim;	/* the entry a miss replaces (round robin) */
};

struct comment_cache *comment_cache_new(void)
{
	return xcalloc(1, sizeof(struct comment_cache));
}

void comment_cache_free(struct comment_cache *c)
{
	free(c);
}

/* Whether a and b give the same comment lines: every proc_meta field comment_format reads. */
static bool same_owner(const struct proc_meta *a, const struct proc_meta *b)
{
	if (a->serial && a->serial == b->serial)
		return true;	/* the same fill of the same owner: no string to compare */
	if (a->valid != b->valid)
		return false;
	if (!a->valid)
		return true;	/* "Source: none" only */
	return a->pid == b->pid && a->tid == b->tid && a->ppid == b->ppid && a->uid == b->uid &&
	       a->source == b->source && !strcmp(a->comm, b->comm) && !strcmp(a->exe, b->exe) &&
	       !strcmp(a->args, b->args) && !strcmp(a->cgroup, b->cgroup) &&
	       !strcmp(a->container, b->container) && !strcmp(a->ctr.name, b->ctr.name) &&
	       !strcmp(a->ctr.image, b->ctr.image) && !strcmp(a->ctr.pod, b->ctr.pod) &&
	       !strcmp(a->ctr.pod_ns, b->ctr.pod_ns) && !strcmp(a->ctr.pod_ctr, b->ctr.pod_ctr);
}

/* strcmp() == 0, without the call for the usual pair of empty strings (no ClientHello) */
static inline bool same_str(const char *a, const char *b)
{
	return a[0] == b[0] && (!a[0] || !strcmp(a + 1, b + 1));
}

static bool entry_matches(const struct cache_entry *e, const struct packet *p,
			  const char *sni, const char *ja4, bool brief)
{
	return e->used && e->brief == brief && same_owner(&e->owner, &p->proc) &&
	       same_owner(&e->peer, &p->peer) && same_str(e->sni, sni) && same_str(e->ja4, ja4);
}

/* The previous packet's entry for the same fills of owner and peer (serials: see
 * same_owner) and no SNI or JA4 lines: a flood's every packet after its first, told without
 * the loop and the string checks. */
static inline bool same_as_last(const struct cache_entry *e, const struct packet *p,
				bool no_tls, bool brief)
{
	return e->used && e->brief == brief && no_tls && !e->sni[0] && !e->ja4[0] &&
	       p->proc.serial && e->owner.serial == p->proc.serial &&
	       (p->peer.serial ? e->peer.serial == p->peer.serial :
				 !p->peer.valid && !e->peer.valid);
}

/* The other entries, then a new one: out of line, so that the usual hit above pays for none
 * of the registers this part needs. */
static __attribute__((noinline)) const struct cache_entry *
cached_or_new(struct comment_cache *c, const struct packet *p, const char *sni, const char *ja4,
	      bool brief)
{
	sni = sni && !brief ? sni : "";	/* format writes neither NULL nor "" */
	ja4 = ja4 && !brief ? ja4 : "";
	for (unsigned i = 0; i < CACHE_ENTRIES; i++) {
		unsigned k = (c->last + i) % CACHE_ENTRIES;
		if (entry_matches(&c->e[k], p, sni, ja4, brief)) {
			/* equal fields under a new serial (the process table changed, this owner
			 * did not): take it, so the next packets match by serial, not strings */
			c->e[k].owner.serial = p->proc.serial;
			c->e[k].peer.serial = p->peer.serial;
			c->last = k;
			return &c->e[k];
		}
	}

	struct cache_entry *e = &c->e[c->victim];
	c->last = c->victim;
	c->victim = (c->victim + 1) % CACHE_ENTRIES;
	e->len = format(p, sni, ja4, brief, e->text, sizeof(e->text));
	e->brief = brief;
	e->used = strlen(sni) < sizeof(e->sni) && strlen(ja4) < sizeof(e->ja4);
	if (e->used) {
		e->owner = p->proc;
		e->peer = p->peer;
		strcpy(e->sni, sni);
		strcpy(e->ja4, ja4);
	}
	return e;
}

const char *comment_format_cached(struct comment_cache *c, const struct packet *p,
				  const char *sni, const char *ja4, bool brief, size_t *len)
{
	const struct cache_entry *e = &c->e[c->last];

	if (!same_as_last(e, p, brief || (!sni && !ja4), brief))
		e = cached_or_new(c, p, sni, ja4, brief);
	if (len)
		*len = e->len;
	return e->text;
}

/* Reverses put_line's escaping into dst (size dstlen, always terminated; cut if too long). */
static void unescape(const char *s, size_t n, char *dst, size_t dstlen)
{
	size_t j = 0;

	for (size_t i = 0; i < n && j + 1 < dstlen; i++) {
		char c = s[i];
		if (c == '\\' && i + 1 < n && s[i + 1] == '\\') {
			i++;
		} else if (c == '\\' && i + 3 < n && s[i + 1] == 'x') {
			char hex[3] = { s[i + 2], s[i + 3], 0 };
			char *end;
			long v = strtol(hex, &end, 16);
			if (*end == 0 && v > 0) {
				c = (char)v;
				i += 3;
			}
		}
		dst[j++] = c;
	}
	if (dstlen)
		dst[j] = 0;
}

static bool parse_u32(const char *s, uint32_t *v)
{
	char *end;
	unsigned long x;

	if (*s < '0' || *s > '9')
		return false;
	x = strtoul(s, &end, 10);
	if (*end || x > UINT32_MAX)
		return false;
	*v = (uint32_t)x;
	return true;
}

enum key { K_PID, K_TID, K_CMD, K_EXE, K_ARGS, K_PPID, K_UID, K_CGROUP, K_CONTAINER,
	   K_CTR_NAME, K_IMAGE, K_POD, K_POD_NS, K_POD_CTR, K_SOURCE, K_SNI, K_JA4, N_KEYS };
static const char *const key_names[N_KEYS] = {
	"PID", "TID", "Cmd", "Exe", "Args", "PPID", "UID", "Cgroup", "Container",
	"ContainerName", "Image", "Pod", "PodNamespace", "PodContainer", "Source", "SNI", "JA4",
};

/* Applies one line to m; false if the line is not one of ours. */
static bool parse_line(const char *line, size_t n, struct proc_meta *m, bool *seen, char *sni,
		       size_t sni_len, char *ja4, size_t ja4_len)
{
	char val[COMMENT_MAX];
	const char *colon = memchr(line, ':', n);
	int k;

	if (!colon || colon + 1 >= line + n || colon[1] != ' ')
		return false;
	for (k = 0; k < N_KEYS; k++)
		if (strlen(key_names[k]) == (size_t)(colon - line) &&
		    memcmp(key_names[k], line, (size_t)(colon - line)) == 0)
			break;
	if (k == N_KEYS || seen[k])
		return false;
	seen[k] = true;
	unescape(colon + 2, n - (size_t)(colon + 2 - line), val, sizeof(val));
	switch (k) {
	case K_PID: return parse_u32(val, &m->pid);
	case K_TID: return parse_u32(val, &m->tid);
	case K_PPID: return parse_u32(val, &m->ppid);
	case K_UID: return parse_u32(val, &m->uid);
	case K_CMD: str_copy(m->comm, sizeof(m->comm), val); return true;
	case K_EXE: str_copy(m->exe, sizeof(m->exe), val); return true;
	case K_ARGS: str_copy(m->args, sizeof(m->args), val); return true;
	case K_CGROUP: str_copy(m->cgroup, sizeof(m->cgroup), val); return true;
	case K_CONTAINER: str_copy(m->container, sizeof(m->container), val); return true;
	case K_CTR_NAME: str_copy(m->ctr.name, sizeof(m->ctr.name), val); return true;
	case K_IMAGE: str_copy(m->ctr.image, sizeof(m->ctr.image), val); return true;
	case K_POD: str_copy(m->ctr.pod, sizeof(m->ctr.pod), val); return true;
	case K_POD_NS: str_copy(m->ctr.pod_ns, sizeof(m->ctr.pod_ns), val); return true;
	case K_POD_CTR: str_copy(m->ctr.pod_ctr, sizeof(m->ctr.pod_ctr), val); return true;
	case K_SNI:
		if (sni && sni_len)
			str_copy(sni, sni_len, val);
		return true;
	case K_JA4:
		if (ja4 && ja4_len)
			str_copy(ja4, ja4_len, val);
		return true;
	case K_SOURCE:
		for (size_t s = 0; s < N_SOURCES; s++)
			if (strcmp(val, source_names[s]) == 0) {
				m->source = (uint8_t)s;
				return true;
			}
		return false;
	}
	return false;
}

/* A peer line of comment_format ("PeerPID", "PeerTID", "PeerCmd", "PeerExe",
 * "PeerContainer"): the owner key after "Peer" applies to the peer. */
static bool peer_line(const char *line, size_t n)
{
	static const char *const keys[] = { "PID: ", "TID: ", "Cmd: ", "Exe: ", "Container: " };

	if (n < 4 || memcmp(line, "Peer", 4))
		return false;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (n - 4 >= strlen(keys[i]) && !memcmp(line + 4, keys[i], strlen(keys[i])))
			return true;
	return false;
}

/* The --tcpinfo line (tcpinfo_comment): true if line is one, with *has set if it parsed;
 * a second one or a malformed one is not procap's. */
static bool tcp_line(const char *line, size_t n, struct tcp_state *s, bool *has)
{
	static const char key[] = "TCPInfo: ";
	char text[TCPINFO_TEXT_MAX];

	if (n < sizeof(key) - 1 || memcmp(line, key, sizeof(key) - 1))
		return false;
	n -= sizeof(key) - 1;
	if (*has || n >= sizeof(text))
		return false;
	memcpy(text, line + sizeof(key) - 1, n);
	text[n] = 0;
	*has = tcpinfo_parse(text, s);
	return *has;
}

bool comment_parse_ext(const char *comment, struct packet *p, char *sni, size_t sni_len,
		       char *ja4, size_t ja4_len)
{
	struct proc_meta m, peer;
	bool seen[N_KEYS] = { false }, peer_seen[N_KEYS] = { false }, has_tcp = false;
	struct tcp_state tcp;
	char sni_tmp[COMMENT_MAX] = "", ja4_tmp[COMMENT_MAX] = "";

	if (!comment || !*comment)
		return false;
	memset(&m, 0, sizeof(m));
	memset(&peer, 0, sizeof(peer));
	m.uid = peer.uid = COMMENT_UID_UNKNOWN;
	for (const char *line = comment; *line;) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		bool ok = tcp_line(line, n, &tcp, &has_tcp) ||
			(peer_line(line, n) ?
			 parse_line(line + 4, n - 4, &peer, peer_seen, NULL, 0, NULL, 0) :
			 parse_line(line, n, &m, seen, sni_tmp, sizeof(sni_tmp), ja4_tmp,
				    sizeof(ja4_tmp)));
		if (!ok)
			return false;
		line += n + (nl ? 1 : 0);
	}
	if (!seen[K_SOURCE])
		return false;
	m.valid = seen[K_PID] || m.source != OWNER_NONE;
	p->proc = m;
	peer.valid = peer_seen[K_PID];
	p->peer = peer;
	p->procap_meta = true;
	p->has_tcp = has_tcp;
	if (has_tcp)
		p->tcp = tcp;
	if (sni && sni_len)
		str_copy(sni, sni_len, sni_tmp);
	if (ja4 && ja4_len)
		str_copy(ja4, ja4_len, ja4_tmp);
	return true;
}

bool comment_parse(const char *comment, struct packet *p)
{
	return comment_parse_ext(comment, p, NULL, 0, NULL, 0);
}
