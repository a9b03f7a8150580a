// SPDX-License-Identifier: BSD-3-Clause
/* Dissector interface: pure parsers over a bounded cursor that return typed results.
 * No globals, no I/O, no printing: src/sink/findings.c renders the results for every sink;
 * all cross-packet state lives in struct dissect_ctx (bounded tables). */
#ifndef PROCAP_DISSECT_H
#define PROCAP_DISSECT_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include "cursor.h"

enum dissect_rc {
	DISSECT_NOT_MINE = 0,	/* heuristic said no: try the next dissector */
	DISSECT_OK,
	DISSECT_TRUNCATED,	/* ours, ran out of captured bytes; partial fields valid */
	DISSECT_INVALID,	/* ours, but a field is impossible */
	DISSECT_PENDING,	/* ours, buffered for reassembly: nothing to report yet */
};

/* What a dissector is offered: an IP payload (hint: IP protocol), a UDP or TCP payload (hint:
 * port), or a payload base.c has no walk for, named by its EtherType (hint: EtherType). */
enum dissect_layer { DL_IP_PROTO, DL_UDP, DL_TCP, DL_ETHERTYPE };

struct pkt_meta {		/* filled by base.c; read-only for dissectors */
	uint64_t ts_ns;
	uint32_t ifindex, wire_len, cap_len;
	uint8_t dir, ip_ver, l4_proto, encap_depth;
	uint8_t src[16], dst[16];	/* network order; v4 in first 4 bytes */
	uint16_t sport, dport;		/* host order */
	uint32_t tcp_seq;		/* host order, TCP only */
	uint8_t tcp_flags;		/* TCP only */
	uint32_t payload_len;		/* L4 payload length the IP/UDP/TCP headers announce;
					   more than the cursor holds when the capture was cut */
	uint16_t ethertype;		/* DL_ETHERTYPE: the EtherType offered */
	uint16_t gre_flags;		/* DL_ETHERTYPE: flags of the GRE header around it
					   (ERSPAN type I and II differ only there) */
};

#define TLS_SNI_MAX	256
#define TLS_ALPN_MAX	128
#define JA4_MAX		40
#define JA4_R_MAX	1536

enum tls_msg { TLS_MSG_CLIENT_HELLO = 1, TLS_MSG_SERVER_HELLO = 2 };

struct tls_info {
	uint8_t msg;			/* enum tls_msg */
	bool has_sni, ech, reassembled;
	uint16_t version;		/* ClientHello: highest offered; ServerHello: chosen */
	uint16_t cipher;		/* ServerHello: chosen cipher suite */
	uint16_t segments;		/* TCP segments / QUIC packets / DTLS fragments the hello
					   spanned */
	uint8_t cookie_len;		/* DTLS ClientHello: cookie of a HelloVerifyRequest */
	bool malformed;			/* a whole hello whose lengths do not add up: the
					   fields parsed are reported (dissectors/tls_hello.c) */
	char sni[TLS_SNI_MAX];		/* printable-escaped */
	char alpn[TLS_ALPN_MAX];	/* comma-separated, printable-escaped */
	char ja4[JA4_MAX];
	char ja4_r[JA4_R_MAX];
};

#define QUIC_VN_MAX 16

struct quic_info {
	uint32_t version;
	uint8_t pkt_type;		/* QUIC_PT_* (version-independent numbering) */
	uint8_t dcid_len, scid_len;
	uint8_t dcid[20], scid[20];
	bool decrypted, has_tls;
	struct tls_info tls;
	uint16_t token_len;		/* Initial, Retry */
	bool retry_verified;		/* Retry: integrity tag checked with the client's DCID */
	uint8_t n_versions;		/* Version Negotiation: supported versions listed */
	uint32_t versions[QUIC_VN_MAX];	/* the first QUIC_VN_MAX of them */
};

enum { QUIC_PT_INITIAL = 0, QUIC_PT_0RTT, QUIC_PT_HANDSHAKE, QUIC_PT_RETRY, QUIC_PT_VN, QUIC_PT_SHORT };

struct ipip_info {
	uint8_t outer_ver, inner_ver;	/* 4 or 6 */
	uint8_t proto;			/* 4, 41 or 47 (GRE) */
	uint16_t gre_ethertype;		/* GRE only */
	uint16_t gre_flags;		/* GRE only: C, K, S bits and version */
	bool inner_eth;			/* GRE 0x6558: an inner Ethernet header was skipped */
	bool gre_has_key;
	uint32_t gre_key;		/* GRE key field (RFC 2890), if present */
	uint8_t outer_src[16], outer_dst[16], inner_src[16], inner_dst[16];
};

enum tunnel_kind { TUN_VXLAN = 1, TUN_GENEVE, TUN_GTPU, TUN_ERSPAN };

#define TUNNEL_OPTS_MAX 4

/* An overlay tunnel (vxlan.c, geneve.c, gtpu.c, erspan.c): the outer endpoints, the tunnel's
 * identifier and what it carries; res.inner holds the encapsulated packet. */
struct tunnel_info {
	uint8_t kind;			/* enum tunnel_kind */
	uint8_t outer_ver;		/* 4 or 6 */
	uint8_t outer_src[16], outer_dst[16];
	uint16_t sport, dport;		/* UDP tunnels */
	uint32_t id;			/* VNI (VXLAN, Geneve), TEID (GTP-U), session (ERSPAN) */
	uint8_t flags;			/* VXLAN flags; GTP flags; Geneve O (0x80) and C (0x40) */
	uint8_t msg_type;		/* GTP-U message type (255: G-PDU) */
	uint8_t version;		/* ERSPAN type (1, 2, 3) */
	uint16_t vlan;			/* ERSPAN: VLAN of the mirrored frame */
	uint16_t proto;			/* Geneve: protocol type of the payload */
	uint16_t opt_len;		/* Geneve: options length in bytes */
	uint8_t n_opts;			/* Geneve: options present (all of them) */
	uint16_t opt_class[TUNNEL_OPTS_MAX];	/* Geneve: the first options' class, type */
	uint8_t opt_type[TUNNEL_OPTS_MAX];
};

#define DNS_NAME_MAX	256
#define DNS_MAX_ANSWERS	6

/* A DNS message (dns.c): the first question's name and the A, AAAA and CNAME answers. */
struct dns_answer {
	uint16_t type;			/* 1 A, 28 AAAA, 5 CNAME */
	uint32_t ttl;
	uint8_t addr[16];		/* A: first 4 bytes */
	char name[DNS_NAME_MAX];	/* the record's owner name */
	char cname[DNS_NAME_MAX];	/* CNAME: the canonical name */
};

struct dns_info {
	uint16_t id;
	bool response;
	uint8_t rcode;
	uint8_t n_answers;		/* A, AAAA and CNAME records kept, in message order */
	char qname[DNS_NAME_MAX];	/* printable-escaped, "" if no question */
	struct dns_answer answers[DNS_MAX_ANSWERS];
};

#define HTTP_MSGS_MAX		4
#define HTTP_METHOD_MAX		24
#define HTTP_PATH_MAX		200
#define HTTP_AUTHORITY_MAX	96
#define HTTP_REASON_MAX		32

/* An HTTP message head found in decrypted TLS application data (tls_flow.c, http1.c,
 * http2.c). Strings are the raw bytes up to their size (cut longer), NUL-terminated. */
struct http_msg {
	uint8_t version;		/* 1: HTTP/1.x, 2: HTTP/2 */
	uint8_t minor;			/* HTTP/1.x: the x */
	bool response;
	uint16_t status;		/* response: the status code */
	uint32_t stream;		/* HTTP/2: the stream id */
	char method[HTTP_METHOD_MAX];	/* request */
	char path[HTTP_PATH_MAX];	/* request: the target / :path */
	char authority[HTTP_AUTHORITY_MAX];	/* request: :authority / Host */
	char reason[HTTP_REASON_MAX];	/* HTTP/1.x response: the reason phrase */
};

/* The messages a segment completed (or that were waiting for their keys), in stream order. */
struct http_info {
	uint8_t n;			/* messages in msg[] */
	uint8_t dropped;		/* more than HTTP_MSGS_MAX at once: not shown */
	uint16_t tls_version;		/* 0x0303 or 0x0304 */
	uint16_t cipher;		/* the cipher suite that decrypted them */
	struct http_msg msg[HTTP_MSGS_MAX];
};

struct dissect_result {
	const struct dissector *by;
	enum dissect_rc rc;
	uint8_t depth;			/* encapsulation depth the result was found at */
	union {
		struct ipip_info ipip;
		struct tls_info tls;
		struct quic_info quic;
		struct dns_info dns;
		struct tunnel_info tun;
		struct http_info http;
	} u;
	struct cursor inner;		/* tunnels: the encapsulated packet */
	uint16_t inner_type;		/* what inner starts with: 0 an IP header (by its version
					   nibble), else an EtherType (0x6558: an Ethernet frame) */
};

struct dissect_ctx;			/* per-run state; defined in dissect_ctx.h */
struct dissector {
	const char *name;		/* "ipip", "quic", "tls": output tag */
	enum dissect_layer layer;
	uint16_t hint;			/* IP proto, well-known port or EtherType; 0 = heuristic
					   only */
	uint16_t hint2;			/* a second port (mDNS's beside DNS's), 0 if none */
	bool hint_only;			/* offered only what matches a hint (a tunnel port) */
	/* a heuristic's first payload byte lies in [lead_min, lead_max] (both 0: any byte):
	 * dispatch tests it before the call, so a flood of other UDP costs no call per packet */
	uint8_t lead_min, lead_max;
	bool tunnel;			/* an OK result may carry an inner packet (res.inner) */
	enum dissect_rc (*dissect)(struct dissect_ctx *ctx, const struct pkt_meta *m,
				   struct cursor c, struct dissect_result *out);
};

extern const struct dissector dissector_ipip, dissector_quic, dissector_tls, dissector_dtls;
extern const struct dissector dissector_vxlan, dissector_geneve, dissector_gtpu, dissector_erspan;

extern const struct dissector dissector_dns, dissector_dns_tcp;
extern const struct dissector dissector_tls_flow;	/* "http": decrypted HTTP in TLS */

#define DISSECT_MAX_RESULTS 8

/* Dissect one packet from its link-layer start. Returns the number of results filled. meta is
 * filled for the innermost IP packet (the one whose L4 flow carries TLS/QUIC); meta->ip_ver is 0
 * when the packet has no IP layer. */
int dissect_packet(struct dissect_ctx *ctx, int linktype, const uint8_t *data, uint32_t cap_len,
		   uint32_t wire_len, uint64_t ts_ns, struct pkt_meta *meta,
		   struct dissect_result *res, size_t max_res);

struct dissect_ctx *dissect_ctx_new(void);
void dissect_ctx_free(struct dissect_ctx *ctx);

#endif
