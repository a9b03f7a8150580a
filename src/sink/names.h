// SPDX-License-Identifier: BSD-3-Clause
/* Address -> name table: what each address was looked up as, learned from the DNS responses
 * procap sees (A and AAAA answers, through CNAME chains, to the question's name) and from the
 * resolver results of local processes. Never a lookup of its own: procap sends no packet.
 * Bounded (NAMES_MAX entries, the least recently learned replaced). TTLs are not enforced:
 * a connection made after its record expired still went to the address the name gave. */
#ifndef PROCAP_NAMES_H
#define PROCAP_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dissect.h"

#define NAMES_MAX	4096

struct names;

/* Where an entry was learned. */
enum name_source {
	NAME_SRC_DNS = 1,		/* a DNS response procap saw */
	NAME_SRC_RESOLVER,		/* a process's resolver call (--resolver-names) */
	NAME_SRC_FILE,			/* a Name Resolution Block of the file read (-r) */
};

struct name_rec {
	uint8_t ver;			/* 4 or 6 */
	uint8_t addr[16];
	char name[DNS_NAME_MAX];
};

struct names *names_new(void);
void names_free(struct names *n);

/* Learns every A/AAAA answer of a DNS response: address -> the question's name (the name the
 * client asked for, whichever CNAMEs led to the address). Returns how many entries are new
 * or now name another name. */
int names_learn_dns(struct names *n, const struct dns_info *d);

/* Learns one address -> name pair from src. Same return as names_learn_dns; the entry's
 * source becomes src even when the name is the same. */
int names_learn(struct names *n, uint8_t ver, const uint8_t *addr, const char *name,
		enum name_source src);

/* The name of the address, NULL if none is known; *src (may be NULL) gets where it was
 * learned last. */
const char *names_lookup(const struct names *n, uint8_t ver, const uint8_t *addr,
			 enum name_source *src);

/* Entries learned or changed since the last call (for Name Resolution Blocks): up to max of
 * them into out; returns how many. */
size_t names_take_new(struct names *n, struct name_rec *out, size_t max);

/* Whether names_take_new has anything to give: asked for every packet written. */
bool names_have_new(const struct names *n);

/* Every entry, for the NRB at the start of a new file after rotation; returns how many. */
size_t names_all(const struct names *n, struct name_rec *out, size_t max);

#endif
