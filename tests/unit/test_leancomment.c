// SPDX-License-Identifier: BSD-3-Clause
/* Lean records: the full comment on the first packet of each flow (per file) and when the
 * owner or the flow's SNI/JA4 changes, the short one otherwise; the short comment's text is
 * exactly the documented keys (comment.h) and -r's parser reads it back. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "comment.h"
#include "leancomment.h"

static void set_flow(struct pkt_meta *m, uint8_t host, uint16_t sport, uint16_t dport)
{
	memset(m, 0, sizeof(*m));
	m->ip_ver = 4;
	m->l4_proto = 6;
	m->src[0] = 192, m->src[1] = 0, m->src[2] = 2, m->src[3] = host;
	m->dst[0] = 198, m->dst[1] = 51, m->dst[2] = 100, m->dst[3] = 1;
	m->sport = sport;
	m->dport = dport;
}

static void reverse(struct pkt_meta *m)
{
	uint8_t a[16];
	uint16_t port = m->sport;

	memcpy(a, m->src, 16);
	memcpy(m->src, m->dst, 16);
	memcpy(m->dst, a, 16);
	m->sport = m->dport;
	m->dport = port;
}

static void set_owner(struct packet *p, uint32_t pid, uint32_t tid, const char *exe,
		      uint64_t serial)
{
	memset(p, 0, sizeof(*p));
	p->procap_meta = true;
	p->proc.valid = true;
	p->proc.source = OWNER_COOKIE;
	p->proc.pid = pid;
	p->proc.tid = tid;
	p->proc.ppid = 1;
	p->proc.uid = 0;
	strcpy(p->proc.comm, "curl");
	strcpy(p->proc.exe, exe);
	strcpy(p->proc.args, "curl -s https://192.0.2.9/");
	p->proc.serial = serial;
}

static void test_decisions(void)
{
	struct leancomment *lc = leancomment_new(false);
	struct pkt_meta a, b;
	struct packet p;

	set_flow(&a, 1, 40000, 443);
	set_flow(&b, 2, 40001, 443);
	set_owner(&p, 10, 10, "/usr/bin/curl", 1);
	CHECK(leancomment_full(lc, &p, &a, NULL, NULL, 1), "first packet of a flow: full");
	CHECK(!leancomment_full(lc, &p, &a, NULL, NULL, 1), "next packet, same owner: short");
	reverse(&a);
	CHECK(!leancomment_full(lc, &p, &a, NULL, NULL, 1), "reply direction: short");
	set_owner(&p, 10, 12, "/usr/bin/curl", 2);
	CHECK(!leancomment_full(lc, &p, &a, NULL, NULL, 1), "another thread of the owner: short");
	CHECK(leancomment_full(lc, &p, &b, NULL, NULL, 1), "interleaved second flow: full");
	CHECK(!leancomment_full(lc, &p, &a, NULL, NULL, 1), "back to the first flow: short");
	CHECK(leancomment_full(lc, &p, &a, "example.com", "t13d0000", 1), "flow gains SNI/JA4: full");
	CHECK(!leancomment_full(lc, &p, &a, "example.com", "t13d0000", 1), "same SNI/JA4: short");
	set_owner(&p, 11, 11, "/usr/bin/curl", 3);
	CHECK(leancomment_full(lc, &p, &a, "example.com", "t13d0000", 1), "another process: full");
	set_owner(&p, 11, 11, "/usr/bin/wget", 4);
	CHECK(leancomment_full(lc, &p, &a, "example.com", "t13d0000", 1), "exec (new Exe): full");
	CHECK(leancomment_full(lc, &p, &a, "example.com", "t13d0000", 2), "new file: full again");
	CHECK(!leancomment_full(lc, &p, &a, "example.com", "t13d0000", 2), "then short in that file");
	set_owner(&p, 11, 11, "/usr/bin/wget", 0);	/* replay: no serial */
	CHECK(!leancomment_full(lc, &p, &a, "example.com", "t13d0000", 2), "no serial: strings compared");
	CHECK(leancomment_full(lc, &p, NULL, NULL, NULL, 2), "no IP flow: full");
	memset(&p, 0, sizeof(p));
	CHECK(leancomment_full(lc, &p, &a, NULL, NULL, 2), "no owner: full");
	leancomment_free(lc);

	lc = leancomment_new(true);
	set_owner(&p, 10, 10, "/usr/bin/curl", 1);
	bool all = true;
	for (int i = 0; i < 5; i++)
		all &= leancomment_full(lc, &p, &a, NULL, NULL, 1);
	CHECK(all, "--full-comments: full on every packet");
	leancomment_free(lc);
}

static void test_short_text(void)
{
	char buf[COMMENT_MAX];
	struct packet p, q;

	set_owner(&p, 4321, 4322, "/usr/bin/curl", 1);
	strcpy(p.proc.container, "3f2a9c");
	p.proc.cgroup[0] = 0;
	comment_format_short(&p, buf, sizeof(buf));
	CHECK_STR(buf, "PID: 4321\nTID: 4322\nCmd: curl\nContainer: 3f2a9c\nSource: cookie",
		  "short comment: PID, TID, Cmd, Container, Source");
	memset(&q, 0, sizeof(q));
	CHECK(comment_parse(buf, &q) && q.proc.valid && q.proc.pid == 4321 && q.proc.tid == 4322 &&
	      !strcmp(q.proc.comm, "curl") && !strcmp(q.proc.container, "3f2a9c") &&
	      q.proc.source == OWNER_COOKIE && !q.proc.exe[0],
	      "-r parses the short comment");

	struct comment_cache *c = comment_cache_new();
	const char *full = comment_format_cached(c, &p, "example.com", NULL, false, NULL);
	CHECK(strstr(full, "Exe: /usr/bin/curl") && strstr(full, "SNI: example.com"),
	      "cache: full text");
	const char *brief = comment_format_cached(c, &p, "example.com", NULL, true, NULL);
	CHECK_STR(brief, buf, "cache: short text for the same owner is the short comment");
	comment_cache_free(c);
}

int main(void)
{
	test_decisions();
	test_short_text();
	return CHECK_EXIT();
}
