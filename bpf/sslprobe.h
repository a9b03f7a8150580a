/* SPDX-License-Identifier: BSD-3-Clause */
/* Kernel<->user ABI of bpf/sslprobe.bpf.c: the TLS secrets of one OpenSSL 3.0 connection, read
 * from its SSL object when its handshake is complete. Included by both sides; includes
 * nothing (the BPF side gets __u* from vmlinux.h, the user side from <linux/types.h>). */
#ifndef PROCAP_SSLPROBE_ABI_H
#define PROCAP_SSLPROBE_ABI_H

#define TLSK_RANDOM_LEN		32
#define TLSK_MASTER_LEN		48	/* TLS 1.2 master secret */
#define TLSK_MD_MAX		64	/* EVP_MAX_MD_SIZE: room of each TLS 1.3 secret */
#define TLSK_COMM_LEN		16

/* Where the fields are in the library's structures (bytes), set by the loader before load
 * from the layout it recognised. */
struct tlsk_layout {
	__u32 version;			/* ssl_st: int version */
	__u32 client_random;		/* ssl_st: s3.client_random[32] */
	__u32 session;			/* ssl_st: SSL_SESSION *session */
	__u32 handshake_secret;		/* ssl_st: TLS 1.3 secrets, 64 bytes each */
	__u32 handshake_traffic_hash;
	__u32 client_app_traffic_secret;
	__u32 server_app_traffic_secret;
	__u32 exporter_master_secret;
	__u32 sess_master_key_length;	/* SSL_SESSION: size_t master_key_length */
	__u32 sess_master_key;		/* SSL_SESSION: master_key[48] */
	__u32 sess_cipher;		/* SSL_SESSION: const SSL_CIPHER *cipher */
	__u32 cipher_id;		/* SSL_CIPHER: uint32_t id (0x0300XXXX) */
};

struct tlsk_event {
	__u32 pid, tid;
	__u32 version;			/* TLS1_2_VERSION 0x0303, TLS1_3_VERSION 0x0304 */
	__u32 cipher_id;		/* 0x03000000 | cipher suite */
	__u64 master_key_len;
	char comm[TLSK_COMM_LEN];
	__u8 client_random[TLSK_RANDOM_LEN];
	__u8 master_key[TLSK_MASTER_LEN];
	__u8 handshake_secret[TLSK_MD_MAX];
	__u8 handshake_traffic_hash[TLSK_MD_MAX];
	__u8 client_app_traffic_secret[TLSK_MD_MAX];
	__u8 server_app_traffic_secret[TLSK_MD_MAX];
	__u8 exporter_master_secret[TLSK_MD_MAX];
};

#endif
