// SPDX-License-Identifier: BSD-3-Clause
/* --tcpinfo text, JSON and comment forms (see tcpinfo.h). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tcpinfo.h"
#include "util.h"

/* tcp_sock's snd_ssthresh before the first loss (TCP_INFINITE_SSTHRESH) */
#define SSTHRESH_INFINITE	0x7fffffffu

/* enum tcp_ca_state's order (include/net/tcp.h) */
static const char *const ca_names[] = { "open", "disorder", "cwr", "recovery", "loss" };
#define N_CA (sizeof(ca_names) / sizeof(ca_names[0]))

enum unit { U_NONE, U_US, U_BYTES, U_RATE };

/* Every key of the text form, in its order: the same table writes and reads it. */
struct field {
	const char *key;
	size_t off;		/* in struct tcp_state */
	unsigned size;		/* 4 or 8 */
	enum unit unit;
};

#define F(k, m, u) { k, offsetof(struct tcp_state, m), sizeof(((struct tcp_state *)0)->m), u }
static const struct field fields[] = {
	F("cwnd", cwnd, U_NONE),
	F("ssthresh", ssthresh, U_NONE),
	F("srtt", srtt_us, U_US),
	F("rttvar", rttvar_us, U_US),
	F("snd_wnd", snd_wnd, U_BYTES),
	F("rcv_wnd", rcv_wnd, U_BYTES),
	F("inflight", in_flight, U_BYTES),
	F("unacked", packets_out, U_NONE),
	F("retrans", retrans_out, U_NONE),
	F("sacked", sacked_out, U_NONE),
	F("lost", lost_out, U_NONE),
	F("mss", mss, U_NONE),
	F("pacing", pacing_rate, U_RATE),
	F("delivery", delivery_rate, U_RATE),
};
#undef F
#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

static const char *const unit_suffix[] = { [U_NONE] = "", [U_US] = "us", [U_BYTES] = "B",
					   [U_RATE] = "B/s" };

static uint64_t get(const struct tcp_state *s, const struct field *f)
{
	const char *p = (const char *)s + f->off;

	if (f->size == 8)
		return *(const uint64_t *)(const void *)p;
	return *(const uint32_t *)(const void *)p;
}

static void set(struct tcp_state *s, const struct field *f, uint64_t v)
{
	char *p = (char *)s + f->off;

	if (f->size == 8)
		*(uint64_t *)(void *)p = v;
	else
		*(uint32_t *)(void *)p = (uint32_t)v;
}

/* "inf" stands for the values that mean unlimited */
static bool is_infinite(const struct field *f, uint64_t v)
{
	return (f->off == offsetof(struct tcp_state, ssthresh) && v >= SSTHRESH_INFINITE) ||
	       (f->size == 8 && v == UINT64_MAX);
}

/* Append sn bytes of str at buf + n, stopping at len - 1; the new length. The text form is
 * written for every segment of a --tcpinfo capture: with snprintf it was 1.8 us a packet, most
 * of procap's CPU in bench scenario 7. */
static size_t put(char *buf, size_t len, size_t n, const char *str, size_t sn)
{
	if (n + sn >= len)
		sn = len - 1 - n;
	memcpy(buf + n, str, sn);
	return n + sn;
}

static size_t put_str(char *buf, size_t len, size_t n, const char *str)
{
	return put(buf, len, n, str, strlen(str));
}

static size_t put_u64(char *buf, size_t len, size_t n, uint64_t v)
{
	char digits[U64_DEC_MAX], *d = u64_dec(v, digits);

	return put(buf, len, n, d, (size_t)(digits + sizeof(digits) - d));
}

size_t tcpinfo_format(const struct tcp_state *s, char *buf, size_t len)
{
	size_t n = 0;

	if (!len)
		return 0;
	for (size_t i = 0; i < N_FIELDS; i++) {
		const struct field *f = &fields[i];
		uint64_t v = get(s, f);

		if (n)
			n = put(buf, len, n, " ", 1);
		n = put_str(buf, len, n, f->key);
		n = put(buf, len, n, "=", 1);
		if (is_infinite(f, v)) {
			n = put(buf, len, n, "inf", 3);
		} else {
			n = put_u64(buf, len, n, v);
			n = put_str(buf, len, n, unit_suffix[f->unit]);
		}
	}
	n = put(buf, len, n, " ca=", 4);
	n = put_str(buf, len, n, s->ca_state < N_CA ? ca_names[s->ca_state] : "?");
	buf[n] = 0;
	return n;
}

static bool parse_token(const char *tok, size_t n, struct tcp_state *s, unsigned *seen)
{
	const char *eq = memchr(tok, '=', n);
	char val[32], *end;

	if (!eq || (size_t)(tok + n - eq - 1) >= sizeof(val))
		return false;
	memcpy(val, eq + 1, (size_t)(tok + n - eq - 1));
	val[tok + n - eq - 1] = 0;
	if ((size_t)(eq - tok) == 2 && !memcmp(tok, "ca", 2)) {
		for (size_t c = 0; c < N_CA; c++)
			if (!strcmp(val, ca_names[c])) {
				s->ca_state = (uint8_t)c;
				return true;
			}
		return false;
	}
	for (size_t i = 0; i < N_FIELDS; i++) {
		const struct field *f = &fields[i];
		uint64_t v;

		if (strlen(f->key) != (size_t)(eq - tok) || memcmp(f->key, tok, (size_t)(eq - tok)))
			continue;
		if (*seen & (1u << i))
			return false;
		*seen |= 1u << i;
		if (!strcmp(val, "inf")) {
			set(s, f, f->size == 8 ? UINT64_MAX : SSTHRESH_INFINITE);
			return is_infinite(f, get(s, f));
		}
		if (val[0] < '0' || val[0] > '9')
			return false;
		errno = 0;
		v = strtoull(val, &end, 10);
		if (errno || strcmp(end, unit_suffix[f->unit]) || (f->size == 4 && v > UINT32_MAX))
			return false;
		set(s, f, v);
		return true;
	}
	return false;
}

bool tcpinfo_parse(const char *text, struct tcp_state *s)
{
	unsigned seen = 0;

	memset(s, 0, sizeof(*s));
	while (*text) {
		size_t n = strcspn(text, " ");

		if (n && !parse_token(text, n, s, &seen))
			return false;
		text += n;
		text += strspn(text, " ");
	}
	return (seen & 1) && (seen & 4);	/* cwnd and srtt */
}

void tcpinfo_text(struct pbuf *pb, const struct tcp_state *s)
{
	char buf[TCPINFO_TEXT_MAX];

	tcpinfo_format(s, buf, sizeof(buf));
	pb_str(pb, " tcp ");
	pb_str(pb, buf);
}

void tcpinfo_json(struct jbuf *b, const struct tcp_state *s)
{
	static const char *const json_key[] = {
		"snd_cwnd", "snd_ssthresh", "srtt_us", "rttvar_us", "snd_wnd", "rcv_wnd",
		"bytes_in_flight", "packets_out", "retrans_out", "sacked_out", "lost_out",
		"mss", "pacing_rate", "delivery_rate",
	};
	_Static_assert(sizeof(json_key) / sizeof(json_key[0]) == N_FIELDS, "a JSON key a field");

	jopen(b, "tcpinfo");
	for (size_t i = 0; i < N_FIELDS; i++) {
		uint64_t v = get(s, &fields[i]);

		if (!is_infinite(&fields[i], v))	/* unlimited: the key is left out */
			jnum(b, json_key[i], v);
	}
	jstr(b, "ca_state", s->ca_state < N_CA ? ca_names[s->ca_state] : "?");
	jclose(b);
}

const char *tcpinfo_comment(const char *comment, const struct tcp_state *s, char *buf,
			    size_t len)
{
	static const char key[] = "TCPInfo: ";
	char text[TCPINFO_TEXT_MAX];
	size_t tl = tcpinfo_format(s, text, sizeof(text)), cl = comment ? strlen(comment) : 0;
	size_t n = 0;

	if (cl + (cl ? 1 : 0) + sizeof(key) - 1 + tl >= len)
		return comment;	/* no room: the process lines matter more */
	if (cl) {
		memcpy(buf, comment, cl);
		n = cl;
		buf[n++] = '\n';
	}
	memcpy(buf + n, key, sizeof(key) - 1);
	n += sizeof(key) - 1;
	memcpy(buf + n, text, tl + 1);
	return buf;
}
