// SPDX-License-Identifier: BSD-3-Clause
/* procap's per-packet comment: the documented "Key: value" text (comment.h), round-trip of
 * every field, escaping of hostile values, foreign comments left alone, small buffers, and the
 * comment cache giving the text a fresh format gives whatever changes between packets. */
#include <string.h>

#include "check.h"
#include "comment.h"

static void fill(struct packet *p)
{
	memset(p, 0, sizeof(*p));
	p->proc.valid = true;
	p->proc.source = OWNER_COOKIE;
	p->proc.pid = 1234;
	p->proc.tid = 1235;
	p->proc.ppid = 1;
	p->proc.uid = 0;
	strcpy(p->proc.comm, "curl");
	strcpy(p->proc.exe, "/usr/bin/curl");
	strcpy(p->proc.args, "curl -k https://192.0.2.1/");
	strcpy(p->proc.cgroup, "/user.slice/user-0.slice/session-1.scope");
	strcpy(p->proc.container, "");
}

static void test_format(void)
{
	struct packet p;
	char buf[COMMENT_MAX];

	fill(&p);
	size_t n = comment_format(&p, "example.com", "t13d1516h2_8daaf6152771_e5627efa2ab1", buf,
				  sizeof(buf));
	/* the documented text, spelled out */
	CHECK_STR(buf,
		  "PID: 1234\nTID: 1235\nCmd: curl\nExe: /usr/bin/curl\n"
		  "Args: curl -k https://192.0.2.1/\nPPID: 1\nUID: 0\n"
		  "Cgroup: /user.slice/user-0.slice/session-1.scope\nSource: cookie\n"
		  "SNI: example.com\nJA4: t13d1516h2_8daaf6152771_e5627efa2ab1",
		  "format: documented Key: value lines");
	CHECK_INT(n, strlen(buf), "format: returns the length");

	memset(&p, 0, sizeof(p));
	comment_format(&p, NULL, NULL, buf, sizeof(buf));
	CHECK_STR(buf, "Source: none", "format: no owner");
}

static void test_roundtrip(void)
{
	struct packet p, q;
	char buf[COMMENT_MAX], sni[256], ja4[64];

	fill(&p);
	strcpy(p.proc.container, "0123456789ab");
	p.proc.source = OWNER_TUPLE;
	comment_format(&p, "example.com", "q13d0310h3_55b375c5d22e_cd85d2d88918", buf, sizeof(buf));
	memset(&q, 0, sizeof(q));
	CHECK(comment_parse_ext(buf, &q, sni, sizeof(sni), ja4, sizeof(ja4)), "parse: ours");
	CHECK(q.procap_meta && q.proc.valid, "parse: procap_meta and owner set");
	CHECK(memcmp(&p.proc, &q.proc, sizeof(p.proc)) == 0, "parse: proc_meta round-trip");
	CHECK_STR(sni, "example.com", "parse: SNI");
	CHECK_STR(ja4, "q13d0310h3_55b375c5d22e_cd85d2d88918", "parse: JA4");

	/* hostile process strings: newlines, backslashes, control bytes stay on their line */
	fill(&p);
	strcpy(p.proc.args, "sh -c 'echo a\nSource: none'\\x41\t\x01");
	strcpy(p.proc.comm, "evil\nPID: 9");
	comment_format(&p, NULL, NULL, buf, sizeof(buf));
	int lines = 1;
	for (char *s = buf; *s; s++)
		lines += *s == '\n';
	CHECK_INT(lines, 9, "escape: one line per key");
	memset(&q, 0, sizeof(q));
	CHECK(comment_parse(buf, &q) && strcmp(q.proc.args, p.proc.args) == 0 &&
		      strcmp(q.proc.comm, p.proc.comm) == 0 && q.proc.pid == 1234,
	      "escape: hostile values round-trip");

	memset(&p, 0, sizeof(p));
	comment_format(&p, NULL, NULL, buf, sizeof(buf));
	memset(&q, 0, sizeof(q));
	CHECK(comment_parse(buf, &q) && q.procap_meta && !q.proc.valid, "parse: Source: none");
}

static void test_foreign(void)
{
	struct packet q;
	const char *foreign[] = {
		"hello comment", "PID: 42", "Source: cookie\nNote: hi", "PID: x\nSource: cookie",
		"PID: 1\nPID: 2\nSource: cookie", "Source: nobody", "", "PID:1\nSource: cookie",
	};
	int wrong = 0;

	for (size_t i = 0; i < sizeof(foreign) / sizeof(foreign[0]); i++) {
		memset(&q, 0, sizeof(q));
		q.comment = foreign[i];
		if (comment_parse(foreign[i], &q) || q.procap_meta || q.proc.valid ||
		    q.comment != foreign[i])
			wrong++;
	}
	CHECK_INT(wrong, 0, "foreign comments: not ours, packet untouched");
	/* the comment gen.py put in testdata/io/ng_multi.pcapng, as another tool would write it */
	memset(&q, 0, sizeof(q));
	CHECK(comment_parse("PID: 42\nCmd: curl\nSource: cookie", &q) && q.proc.pid == 42 &&
		      strcmp(q.proc.comm, "curl") == 0 && q.proc.source == OWNER_COOKIE,
	      "parse: minimal procap comment");
	/* and formats back to the same text: nothing invented (no UID line when none was known) */
	char buf[COMMENT_MAX];
	comment_format(&q, NULL, NULL, buf, sizeof(buf));
	CHECK_STR(buf, "PID: 42\nCmd: curl\nSource: cookie", "minimal comment: parse then format is identity");
}

static void test_small_buffer(void)
{
	struct packet p;
	char buf[40];

	fill(&p);
	size_t n = comment_format(&p, NULL, NULL, buf, sizeof(buf));
	CHECK_STR(buf, "PID: 1234\nTID: 1235\nCmd: curl", "small buffer: cut at a line boundary");
	CHECK_INT(n, strlen(buf), "small buffer: length");
	n = comment_format(&p, NULL, NULL, buf, 0);
	CHECK_INT(n, 0, "zero-length buffer");
}

/* One change to the owner or flow of the previous packet (step by step: the cache must notice
 * each input alone) */
static void mutate(struct packet *p, int step, const char **sni, const char **ja4)
{
	static char long_sni[600];
	struct proc_meta *m = &p->proc;

	switch (step % 16) {
	case 0: fill(p); break;
	case 1: m->pid++; break;
	case 2: m->tid++; break;
	case 3: m->ppid = m->ppid ? 0 : 7; break;
	case 4: m->uid = m->uid == 0 ? UINT32_MAX : 0; break;
	case 5: m->comm[0] = m->comm[0] == 'c' ? 'd' : 'c'; break;
	case 6: strcat(m->exe, "x"); break;
	case 7: strcpy(m->args, step % 32 < 16 ? "curl\n -v" : "curl \x01"); break;
	case 8: strcpy(m->cgroup, step % 32 < 16 ? "/a" : ""); break;
	case 9: strcpy(m->container, m->container[0] ? "" : "0123456789ab"); break;
	case 10: m->source = (uint8_t)((m->source + 1) % 7); break;	/* 5, 6: unknown */
	case 11: *sni = *sni ? NULL : "example.com"; break;
	case 12: *ja4 = *ja4 && **ja4 ? "" : "t13d1516h2_8daaf6152771_e5627efa2ab1"; break;
	case 13:
		memset(long_sni, 'a', sizeof(long_sni) - 1);	/* longer than the cache keeps */
		long_sni[step % 500] = 'b';
		*sni = long_sni;
		break;
	case 14: m->valid = !m->valid; break;
	case 15: m->cgroup_id++; break;	/* not in the comment */
	}
}

static void test_cache(void)
{
	struct comment_cache *c = comment_cache_new();
	struct packet p, saved[8];
	const char *sni = NULL, *ja4 = NULL;
	char fresh[COMMENT_MAX];
	int wrong = 0;

	fill(&p);
	for (int i = 0; i < 8; i++)
		saved[i] = p;
	for (int step = 0; step < 400; step++) {
		mutate(&p, step, &sni, &ja4);
		saved[step % 8] = p;
		/* the same packet again, then an owner of a few packets ago: hits */
		for (int again = 0; again < 3; again++) {
			const struct packet *q = again < 2 ? &p : &saved[(step + 3) % 8];
			size_t len = 0;

			comment_format(q, sni, ja4, fresh, sizeof(fresh));
			if (strcmp(comment_format_cached(c, q, sni, ja4, false, &len), fresh) ||
			    len != strlen(fresh))
				wrong++;
		}
	}
	CHECK_INT(wrong, 0, "cache: same text and length as a fresh format across owner and flow changes");
	comment_cache_free(c);
}

int main(void)
{
	test_format();
	test_roundtrip();
	test_foreign();
	test_small_buffer();
	test_cache();
	return CHECK_EXIT();
}
