// SPDX-License-Identifier: BSD-3-Clause
/* JA4 as a pure function of struct tls_hello, against the worked example and the ALPN rules
 * written in FoxIO's technical_details/JA4.md (the spec, an independent reference). */
#include <string.h>
#include "check.h"
#include "tls_hello.h"

/* JA4.md "Example": Chrome-like hello, ciphers and extensions in wire order. */
static void spec_example(struct tls_hello *h)
{
	static const uint16_t ciphers[] = { 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030,
					    0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f,
					    0x0035 };
	static const uint16_t exts[] = { 0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d,
					 0x000d, 0x0005, 0x0023, 0x0012, 0x002b, 0xff01, 0x000b,
					 0x000a, 0x0015 };
	static const uint16_t sigs[] = { 0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806,
					 0x0601 };

	memset(h, 0, sizeof(*h));
	h->is_client = true;
	h->legacy_version = 0x0303;
	h->n_ciphers = sizeof(ciphers) / 2;
	memcpy(h->ciphers, ciphers, sizeof(ciphers));
	h->n_exts = sizeof(exts) / 2;
	memcpy(h->exts, exts, sizeof(exts));
	h->n_sigalgs = sizeof(sigs) / 2;
	memcpy(h->sigalgs, sigs, sizeof(sigs));
	h->n_versions = 2;
	h->versions[0] = 0x0304;
	h->versions[1] = 0x0303;
	h->has_sni = true;
	h->alpn_first_len = 2;
	memcpy(h->alpn_first, "h2", 2);
}

static void insert_front(uint16_t *v, uint16_t *n, uint16_t x)
{
	memmove(v + 1, v, *n * sizeof(*v));
	v[0] = x;
	(*n)++;
}

static const char *alpn_of(const uint8_t *bytes, uint8_t len)
{
	static char ja4[JA4_MAX];
	char raw[JA4_R_MAX];
	struct tls_hello h;

	spec_example(&h);
	h.alpn_first_len = len;
	memcpy(h.alpn_first, bytes, len);
	ja4_compute(&h, 't', ja4, raw);
	ja4[10] = '\0';
	return ja4 + 8;			/* the two ALPN characters of section a */
}

int main(void)
{
	struct tls_hello h;
	char ja4[JA4_MAX], raw[JA4_R_MAX];

	spec_example(&h);
	ja4_compute(&h, 't', ja4, raw);
	CHECK_STR(ja4, "t13d1516h2_8daaf6152771_e5627efa2ab1", "ja4 spec example");
	CHECK_STR(raw, "t13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,"
		       "c030,cca8,cca9_0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,"
		       "4469,ff01_0403,0804,0401,0503,0805,0501,0806,0601",
		  "ja4_r spec example");

	/* GREASE anywhere is ignored: same fingerprint */
	insert_front(h.ciphers, &h.n_ciphers, 0x2a2a);
	insert_front(h.exts, &h.n_exts, 0xdada);
	insert_front(h.versions, &h.n_versions, 0x7a7a);
	insert_front(h.sigalgs, &h.n_sigalgs, 0x0a0a);
	ja4_compute(&h, 't', ja4, raw);
	CHECK_STR(ja4, "t13d1516h2_8daaf6152771_e5627efa2ab1", "ja4 GREASE ignored");

	/* JA4.md: "If there are no signature algorithms ... 6d807ffa2a79" */
	spec_example(&h);
	h.n_sigalgs = 0;
	ja4_compute(&h, 'q', ja4, raw);
	CHECK_STR(ja4, "q13d1516h2_8daaf6152771_6d807ffa2a79", "ja4 no sigalgs, quic");

	/* no SNI extension, no ALPN, no supported_versions: legacy version, "i", "00" */
	spec_example(&h);
	h.n_exts = 0;
	h.n_versions = 0;
	h.has_sni = false;
	h.alpn_first_len = 0;
	h.n_sigalgs = 0;
	ja4_compute(&h, 't', ja4, raw);
	CHECK_STR(ja4, "t12i150000_8daaf6152771_000000000000", "ja4 no extensions");

	/* no ciphers */
	h.n_ciphers = 0;
	ja4_compute(&h, 't', ja4, raw);
	CHECK_STR(ja4, "t12i000000_000000000000_000000000000", "ja4 empty lists");
	CHECK_STR(raw, "t12i000000__", "ja4_r empty lists");

	/* unknown version -> "00"; SSL 3.0 -> "s3" */
	h.legacy_version = 0x0305;
	ja4_compute(&h, 't', ja4, raw);
	CHECK(strncmp(ja4, "t00i", 4) == 0, "ja4 unknown version 00");
	h.legacy_version = 0x0300;
	ja4_compute(&h, 't', ja4, raw);
	CHECK(strncmp(ja4, "ts3i", 4) == 0, "ja4 ssl3 s3");

	/* counts are capped at 99 */
	spec_example(&h);
	h.n_ciphers = 120;
	for (int i = 0; i < 120; i++)
		h.ciphers[i] = (uint16_t)(0x0100 + i);
	ja4_compute(&h, 't', ja4, raw);
	CHECK(strncmp(ja4, "t13d9916h2_", 11) == 0, "ja4 cipher count capped at 99");

	/* JA4.md "ALPN Extension Value": the spec's own examples */
	CHECK_STR(alpn_of((const uint8_t *)"http/1.1", 8), "h1", "alpn http/1.1 -> h1");
	CHECK_STR(alpn_of((const uint8_t *)"\xab", 1), "ab", "alpn 0xAB -> ab");
	CHECK_STR(alpn_of((const uint8_t *)"\xab\xcd", 2), "ad", "alpn 0xAB 0xCD -> ad");
	CHECK_STR(alpn_of((const uint8_t *)"\x30\xab", 2), "3b", "alpn 0x30 0xAB -> 3b");
	CHECK_STR(alpn_of((const uint8_t *)"\x30\x31\xab\xcd", 4), "3d",
		  "alpn 0x30 0x31 0xAB 0xCD -> 3d");
	CHECK_STR(alpn_of((const uint8_t *)"\x30\xab\xcd\x31", 4), "01",
		  "alpn 0x30 0xAB 0xCD 0x31 -> 01");
	/* Spec over implementation (testdata/corpus/README.md point 1): JA4.md says a one-character
	 * ALPN is both first and last character, "aa"; FoxIO's Rust code prints "a0". */
	CHECK_STR(alpn_of((const uint8_t *)"a", 1), "aa",
		  "alpn one char a -> aa (spec; FoxIO Rust a0)");
	/* Spec over implementation: the first ALPN 0xBA 0xAD of
	 * corpus/ja4/pcap/tls-non-ascii-alpn.pcapng gives "bd" by JA4.md's hex rule, while
	 * corpus/ja4/expected/flat/tls-non-ascii-alpn.pcapng.rust-ja4.tsv (and the python one)
	 * say t13d151699_... because FoxIO's code prints "99" for any non-alphanumeric ALPN. */
	CHECK_STR(alpn_of((const uint8_t *)"\xba\xad", 2), "bd",
		  "alpn 0xBA 0xAD -> bd (spec; FoxIO code 99, see tls-non-ascii-alpn.pcapng)");
	return CHECK_EXIT();
}
