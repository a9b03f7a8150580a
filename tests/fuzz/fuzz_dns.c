// SPDX-License-Identifier: BSD-3-Clause
/* libFuzzer target for the DNS dissector (dissectors/dns.c) and the names table
 * (src/sink/names.c). The first byte picks UDP or TCP (bit 0) and the server port (bit 1: 53
 * or 5353); the rest is the payload, copied to a heap block of its exact length so ASan sees
 * any overread. Every answer is fed to one names table that lives across inputs, so it fills
 * and evicts; a learned address must then be found with a non-empty name.
 * fuzz-seeds: none */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissect.h"
#include "names.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct names *names;
	struct dissect_result res;
	struct pkt_meta m;
	uint8_t *copy;

	if (size < 1)
		return 0;
	if (!names)
		names = names_new();
	memset(&m, 0, sizeof(m));
	m.ip_ver = 4;
	m.l4_proto = data[0] & 1 ? 6 : 17;
	m.sport = data[0] & 2 ? 5353 : 53;
	m.dport = 40000;
	copy = malloc(size - 1 ? size - 1 : 1);
	memcpy(copy, data + 1, size - 1);
	memset(&res, 0, sizeof(res));
	const struct dissector *d = m.l4_proto == 6 ? &dissector_dns_tcp : &dissector_dns;
	if (d->dissect(NULL, &m, cur_init(copy, size - 1), &res) != DISSECT_NOT_MINE) {
		const struct dns_info *dns = &res.u.dns;

		if (dns->n_answers > DNS_MAX_ANSWERS || strnlen(dns->qname, DNS_NAME_MAX) == DNS_NAME_MAX)
			abort();
		names_learn_dns(names, dns);
		for (unsigned i = 0; i < dns->n_answers; i++) {
			const struct dns_answer *a = &dns->answers[i];
			const char *n;

			if (dns->response && !dns->rcode && dns->qname[0] && (a->type == 1 || a->type == 28) &&
			    (!(n = names_lookup(names, a->type == 1 ? 4 : 6, a->addr, NULL)) || !n[0]))
				abort();
		}
	}
	free(copy);
	return 0;
}
