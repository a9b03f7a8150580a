// SPDX-License-Identifier: BSD-3-Clause
/* TLS record protection: key log secrets, key schedules, AEAD record opening (see
 * tls_decrypt.h).
 * specification: RFC 5246 §5, §6.2.3.3, §6.3; RFC 5288 §3; RFC 7905 §2; RFC 8446 §5.2, §5.3,
 * §7.1, §7.2; draft-ietf-tls-keylogfile §3. */
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "tls13_kdf.h"
#include "tls_decrypt.h"
#include "util.h"

#define PROBE 8		/* keystore slots looked at for one random */

struct tlsd_keystore {
	struct tlsd_secrets slot[TLSD_KEYSTORE_SLOTS];
	uint64_t stamp[TLSD_KEYSTORE_SLOTS];	/* when filled: the oldest of a window goes */
	uint64_t clock;
};

struct tlsd_keystore *tlsd_keystore_new(void)
{
	return xcalloc(1, sizeof(struct tlsd_keystore));
}

void tlsd_keystore_free(struct tlsd_keystore *ks)
{
	free(ks);
}

static uint32_t slot_of(const uint8_t random[TLSD_RANDOM_LEN])
{
	/* the client random is random (RFC 8446 §4.1.2): its first bytes spread well */
	return ((uint32_t)random[0] << 24 | (uint32_t)random[1] << 16 | (uint32_t)random[2] << 8 |
		random[3]) % TLSD_KEYSTORE_SLOTS;
}

const struct tlsd_secrets *tlsd_keystore_find(const struct tlsd_keystore *ks,
					      const uint8_t random[TLSD_RANDOM_LEN])
{
	uint32_t s = slot_of(random);

	for (int i = 0; i < PROBE; i++) {
		const struct tlsd_secrets *e = &ks->slot[(s + i) % TLSD_KEYSTORE_SLOTS];

		if (e->have && !memcmp(e->random, random, TLSD_RANDOM_LEN))
			return e;
	}
	return NULL;
}

/* The slot for random: its own, an empty one, or the oldest of the window (cleared). */
static struct tlsd_secrets *slot_for(struct tlsd_keystore *ks,
				     const uint8_t random[TLSD_RANDOM_LEN])
{
	uint32_t s = slot_of(random), victim = s;

	for (int i = 0; i < PROBE; i++) {
		uint32_t j = (s + i) % TLSD_KEYSTORE_SLOTS;
		struct tlsd_secrets *e = &ks->slot[j];

		if (e->have && !memcmp(e->random, random, TLSD_RANDOM_LEN))
			return e;
		if (!e->have) {
			victim = j;
			break;
		}
		if (ks->stamp[j] < ks->stamp[victim])
			victim = j;
	}
	memset(&ks->slot[victim], 0, sizeof(ks->slot[victim]));
	memcpy(ks->slot[victim].random, random, TLSD_RANDOM_LEN);
	ks->stamp[victim] = ++ks->clock;
	return &ks->slot[victim];
}

static int hexdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

bool tlsd_unhex(const char *s, size_t n, uint8_t *out)
{
	for (size_t i = 0; i < n; i++) {
		int hi = hexdigit(s[2 * i]), lo = hexdigit(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

/* "LABEL <64 hex> <secret hex>": the labels application data needs. */
static bool take_line(struct tlsd_keystore *ks, const char *line, size_t len)
{
	static const struct { const char *label; uint8_t have; } labels[] = {
		{ "CLIENT_RANDOM ", TLSD_HAVE_MASTER },
		{ "CLIENT_TRAFFIC_SECRET_0 ", TLSD_HAVE_CLIENT_TS },
		{ "SERVER_TRAFFIC_SECRET_0 ", TLSD_HAVE_SERVER_TS },
	};
	uint8_t random[TLSD_RANDOM_LEN], secret[TLSD_SECRET_MAX];

	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		size_t l = strlen(labels[i].label);

		if (len < l || memcmp(line, labels[i].label, l))
			continue;
		line += l;
		len -= l;
		if (len < 2 * TLSD_RANDOM_LEN + 1 || line[2 * TLSD_RANDOM_LEN] != ' ' ||
		    !tlsd_unhex(line, TLSD_RANDOM_LEN, random))
			return false;
		line += 2 * TLSD_RANDOM_LEN + 1;
		len -= 2 * TLSD_RANDOM_LEN + 1;
		size_t n = len / 2;
		if (len % 2 || n > TLSD_SECRET_MAX || !tlsd_unhex(line, n, secret))
			return false;
		if (labels[i].have == TLSD_HAVE_MASTER ? n != 48 : (n != 32 && n != 48))
			return false;
		struct tlsd_secrets *e = slot_for(ks, random);
		if (labels[i].have == TLSD_HAVE_MASTER) {
			memcpy(e->master, secret, n);
		} else {
			if (e->ts_len && e->ts_len != n)	/* one hash per connection */
				e->have &= (uint8_t)~(TLSD_HAVE_CLIENT_TS | TLSD_HAVE_SERVER_TS);
			e->ts_len = (uint8_t)n;
			memcpy(labels[i].have == TLSD_HAVE_CLIENT_TS ? e->client_ts : e->server_ts,
			       secret, n);
		}
		e->have |= labels[i].have;
		return true;
	}
	return false;
}

int tlsd_keystore_add(struct tlsd_keystore *ks, const char *text, size_t len)
{
	int taken = 0;

	while (len) {
		const char *nl = memchr(text, '\n', len);
		size_t n, l;

		if (!nl)
			break;
		n = (size_t)(nl - text) + 1;
		l = n - 1;
		if (l && text[l - 1] == '\r')
			l--;
		taken += take_line(ks, text, l);
		text += n;
		len -= n;
	}
	return taken;
}

static const struct tlsd_suite suites[] = {
	{ 0x1301, 16, 32, false },	/* TLS_AES_128_GCM_SHA256 */
	{ 0x1302, 32, 48, false },	/* TLS_AES_256_GCM_SHA384 */
	{ 0x1303, 32, 32, true },	/* TLS_CHACHA20_POLY1305_SHA256 */
	{ 0x009c, 16, 32, false },	/* TLS_RSA_WITH_AES_128_GCM_SHA256 */
	{ 0x009d, 32, 48, false },	/* TLS_RSA_WITH_AES_256_GCM_SHA384 */
	{ 0x009e, 16, 32, false },	/* TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 */
	{ 0x009f, 32, 48, false },	/* TLS_DHE_RSA_WITH_AES_256_GCM_SHA384 */
	{ 0xc02b, 16, 32, false },	/* TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 */
	{ 0xc02c, 32, 48, false },	/* TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 */
	{ 0xc02f, 16, 32, false },	/* TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 */
	{ 0xc030, 32, 48, false },	/* TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 */
	{ 0xcca8, 32, 32, true },	/* TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 */
	{ 0xcca9, 32, 32, true },	/* TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 */
	{ 0xccaa, 32, 32, true },	/* TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256 */
};

const struct tlsd_suite *tlsd_suite(uint16_t id)
{
	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		if (suites[i].id == id)
			return &suites[i];
	return NULL;
}

int tlsd_keys_tls13(struct tlsd_keys *k, const struct tlsd_suite *suite, const uint8_t *secret)
{
	memset(k, 0, sizeof(*k));
	k->suite = suite;
	k->tls13 = true;
	memcpy(k->secret, secret, suite->hash_len);
	/* §7.3: [sender]_write_key = HKDF-Expand-Label(Secret, "key", "", key_length) */
	if (tls13_expand_label(secret, suite->hash_len, "key", NULL, 0, k->key, suite->key_len) ||
	    tls13_expand_label(secret, suite->hash_len, "iv", NULL, 0, k->iv, 12))
		return -1;
	return 0;
}

int tlsd_keys_update(struct tlsd_keys *k)
{
	uint8_t next[TLSD_SECRET_MAX];

	/* §7.2: application_traffic_secret_N+1 = HKDF-Expand-Label(secret_N, "traffic upd", "",
	 * Hash.length) */
	if (tls13_expand_label(k->secret, k->suite->hash_len, "traffic upd", NULL, 0, next,
			       k->suite->hash_len))
		return -1;
	return tlsd_keys_tls13(k, k->suite, next);
}

int tlsd_prf12(size_t hash_len, const uint8_t *secret, size_t secret_len, const char *label,
	       const uint8_t *seed_in, size_t seed_in_len, uint8_t *out, size_t out_len)
{
	const EVP_MD *md = hash_len == 48 ? EVP_sha384() : hash_len == 32 ? EVP_sha256() : NULL;
	uint8_t a[EVP_MAX_MD_SIZE], block[EVP_MAX_MD_SIZE], buf[EVP_MAX_MD_SIZE + 128], seed[128];
	size_t label_len = strlen(label), seed_len = label_len + seed_in_len;
	unsigned int a_len, b_len;

	/* RFC 5246 §5: PRF(secret, label, seed) = P_hash(secret, label + seed) */
	if (!md || seed_len > sizeof(seed))
		return -1;
	memcpy(seed, label, label_len);
	memcpy(seed + label_len, seed_in, seed_in_len);
	/* A(1) = HMAC(secret, seed) */
	if (!HMAC(md, secret, (int)secret_len, seed, seed_len, a, &a_len))
		return -1;
	while (out_len) {
		memcpy(buf, a, a_len);
		memcpy(buf + a_len, seed, seed_len);
		if (!HMAC(md, secret, (int)secret_len, buf, a_len + seed_len, block, &b_len))
			return -1;
		size_t take = out_len < b_len ? out_len : b_len;
		memcpy(out, block, take);
		out += take;
		out_len -= take;
		/* A(i+1) = HMAC(secret, A(i)) */
		if (!HMAC(md, secret, (int)secret_len, a, a_len, a, &a_len))
			return -1;
	}
	return 0;
}

int tlsd_keys_tls12(struct tlsd_keys *k, const struct tlsd_suite *suite,
		    const uint8_t master[48], const uint8_t client_random[TLSD_RANDOM_LEN],
		    const uint8_t server_random[TLSD_RANDOM_LEN], bool client)
{
	uint8_t randoms[2 * TLSD_RANDOM_LEN], block[2 * 32 + 2 * 12];
	size_t iv_len = suite->chacha ? 12 : 4;

	memset(k, 0, sizeof(*k));
	k->suite = suite;
	/* §6.3: key_block = PRF(master, "key expansion", server_random + client_random), cut
	 * into client and server MAC keys (none for AEAD), write keys, then IVs */
	memcpy(randoms, server_random, TLSD_RANDOM_LEN);
	memcpy(randoms + TLSD_RANDOM_LEN, client_random, TLSD_RANDOM_LEN);
	if (tlsd_prf12(suite->hash_len, master, 48, "key expansion", randoms, sizeof(randoms),
		       block, 2 * suite->key_len + 2 * iv_len))
		return -1;
	memcpy(k->key, block + (client ? 0 : suite->key_len), suite->key_len);
	memcpy(k->iv, block + 2 * suite->key_len + (client ? 0 : iv_len), iv_len);
	return 0;
}

long tlsd_open(struct evp_cipher_ctx_st *cctx, const struct tlsd_keys *k, uint64_t seq,
	       const uint8_t hdr[5], const uint8_t *body, size_t body_len, uint8_t *out,
	       uint8_t *type)
{
	EVP_CIPHER_CTX *c = (EVP_CIPHER_CTX *)cctx;
	const EVP_CIPHER *cipher = k->suite->chacha ? EVP_chacha20_poly1305() :
				   k->suite->key_len == 16 ? EVP_aes_128_gcm() : EVP_aes_256_gcm();
	bool explicit_nonce = !k->tls13 && !k->suite->chacha;	/* RFC 5288 §3 */
	uint8_t nonce[12], aad[13];
	size_t aad_len, ct_len;
	int n, fin;

	if (body_len < TLSD_TAG_LEN + (explicit_nonce ? 8 : 0))
		return -1;
	if (explicit_nonce) {
		memcpy(nonce, k->iv, 4);
		memcpy(nonce + 4, body, 8);
		body += 8;
		body_len -= 8;
	} else {	/* RFC 8446 §5.3, RFC 7905 §2: iv XOR the 64-bit sequence number */
		memcpy(nonce, k->iv, 12);
		for (int i = 0; i < 8; i++)
			nonce[4 + i] ^= (uint8_t)(seq >> (56 - 8 * i));
	}
	ct_len = body_len - TLSD_TAG_LEN;
	if (k->tls13) {		/* RFC 8446 §5.2: additional_data = the record header */
		memcpy(aad, hdr, 5);
		aad_len = 5;
	} else {		/* RFC 5246 §6.2.3.3: seq_num + type + version + length */
		for (int i = 0; i < 8; i++)
			aad[i] = (uint8_t)(seq >> (56 - 8 * i));
		aad[8] = hdr[0];
		aad[9] = hdr[1];
		aad[10] = hdr[2];
		aad[11] = (uint8_t)(ct_len >> 8);
		aad[12] = (uint8_t)ct_len;
		aad_len = 13;
	}
	if (EVP_DecryptInit_ex(c, cipher, NULL, NULL, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_IVLEN, 12, NULL) != 1 ||
	    EVP_DecryptInit_ex(c, NULL, NULL, k->key, nonce) != 1 ||
	    EVP_DecryptUpdate(c, NULL, &n, aad, (int)aad_len) != 1 ||
	    EVP_DecryptUpdate(c, out, &n, body, (int)ct_len) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, TLSD_TAG_LEN,
				(void *)(body + ct_len)) != 1)
		return -1;
	fin = 0;
	if (EVP_DecryptFinal_ex(c, out + n, &fin) != 1)
		return -1;	/* the tag does not match */
	size_t len = (size_t)n + (size_t)fin;
	if (!k->tls13) {
		*type = hdr[0];
		return (long)len;
	}
	while (len && !out[len - 1])	/* §5.2: zero padding, then the real content type */
		len--;
	if (!len)
		return -1;
	*type = out[--len];
	return (long)len;
}
