// SPDX-License-Identifier: BSD-3-Clause
/* The findings table: how each dissector's results appear in every sink. One row per dissector
 * (keyed by its struct dissector, never by name) holds its text renderer (` key=value` pairs
 * after the tcpdump line), its JSON renderer (an object named after the dissector), the
 * ClientHello it carries (for --summary, the pcapng comment and the flow table) and the
 * extended regular expression that matches what its text renderer appends (the golden tests
 * strip it to compare lines with tcpdump). Sinks call the functions below and nothing else. */
#ifndef PROCAP_FINDINGS_H
#define PROCAP_FINDINGS_H

#include <stdio.h>
#include "dissect.h"
#include "jbuf.h"
#include "pbuf.h"

struct findings_row {
	const struct dissector *by;
	/* Appends this result's ` key=value` pairs (nothing when it has nothing to name). */
	void (*text)(struct pbuf *pb, const struct dissect_result *r);
	/* Writes this dissector's JSON object(s) for all of its results among res[0..nres). */
	void (*json)(struct jbuf *b, const struct dissect_result *res, int nres);
	/* The ClientHello the result carries, NULL if none (NULL pointer: never one). */
	const struct tls_info *(*client_hello)(const struct dissect_result *r);
	/* ERE matching exactly what text() appends (`sed -E "s/STRIP//g"` removes it). */
	const char *strip;
	/* The DNS message the result carries (for the names table), NULL if none. */
	const struct dns_info *(*dns)(const struct dissect_result *r);
};

/* A result worth rendering: claimed by a dissector and parsed (whole or up to a truncation). */
static inline bool findings_reportable(const struct dissect_result *r)
{
	return r->by && (r->rc == DISSECT_OK || r->rc == DISSECT_TRUNCATED);
}

/* Text findings of every reportable result, in result order. */
void findings_text(struct pbuf *pb, const struct dissect_result *res, int nres);
/* JSON objects of every dissector with a reportable result, in table order. */
void findings_json(struct jbuf *b, const struct dissect_result *res, int nres);
/* The ClientHello a result carries (whatever its rc), NULL if it carries none. */
const struct tls_info *findings_client_hello(const struct dissect_result *r);
/* The DNS message a result carries, NULL if it carries none. */
const struct dns_info *findings_dns(const struct dissect_result *r);
/* With -v: ` src_name=NAME dst_name=NAME` for the addresses the names table knows. */
void findings_names_text(struct pbuf *pb, const char *src_name, const char *dst_name);
/* Every row's strip pattern, one per line (tests/tools/findings_strip prints them). */
void findings_print_strip_patterns(FILE *out);

#endif
