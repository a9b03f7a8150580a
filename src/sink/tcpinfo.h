// SPDX-License-Identifier: BSD-3-Clause
/* --tcpinfo state (struct tcp_state, src/packet.h) as text: one "key=value ..." form serves the
 * live line (after "tcp"), the pcapng comment's TCPInfo: line and its reading back by -r, and
 * a JSON "tcpinfo" object. Keys and units are in procap(8) TCPINFO. */
#ifndef PROCAP_TCPINFO_H
#define PROCAP_TCPINFO_H

#include <stdbool.h>
#include <stddef.h>

#include "jbuf.h"
#include "packet.h"
#include "pbuf.h"

#define TCPINFO_TEXT_MAX	320

/* s as "cwnd=10 ssthresh=inf srtt=1234us ..." into buf (always terminated). */
size_t tcpinfo_format(const struct tcp_state *s, char *buf, size_t len);

/* Reads tcpinfo_format's text back; false (s unspecified) unless every token is one of its
 * keys with a valid value and cwnd and srtt are present. */
bool tcpinfo_parse(const char *text, struct tcp_state *s);

void tcpinfo_text(struct pbuf *pb, const struct tcp_state *s);	/* " tcp cwnd=..." */
void tcpinfo_json(struct jbuf *b, const struct tcp_state *s);	/* ,"tcpinfo":{...} */

/* comment followed by a "TCPInfo: ..." line, in buf (len bytes); comment may be NULL. */
const char *tcpinfo_comment(const char *comment, const struct tcp_state *s, char *buf,
			    size_t len);

#endif
