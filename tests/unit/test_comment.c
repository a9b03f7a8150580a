// SPDX-License-Identifier: BSD-3-Clause
/* procap's per-packet comment: the documented "Key: value" text (comment.h), round-trip of
 * every field, escaping of hostile values, foreign comments left alone, small buffers. */
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

int main(void)
{
	test_format();
	test_roundtrip();
	test_foreign();
	test_small_buffer();
	return CHECK_EXIT();
}
