// SPDX-License-Identifier: BSD-3-Clause
/* --tls-keys: uprobes on libssl.so.3 (OpenSSL 3.0) read a connection's TLS secrets from its
 * SSL object once the handshake is complete: at the return of SSL_do_handshake (SSL_connect
 * and SSL_accept call it). Not on SSL_read/SSL_write: a uprobe there costs every TLS record of
 * every process (measured here: 8 -> 150 us per SSL_write+SSL_read pair), so a handshake that
 * only SSL_read/SSL_write drive implicitly is not seen. Each connection is reported once
 * (client random + SSL address per process). Field offsets come from the loader (struct tlsk_layout), which only loads this
 * for a library whose layout it recognised. The programs read user memory and never write it.
 * specification: OpenSSL 3.0 ssl/ssl_local.h (struct ssl_st, ssl_session_st, ssl_cipher_st),
 * for facts only. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "sslprobe.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define TLS1_2_VERSION	0x0303
#define TLS1_3_VERSION	0x0304

const volatile struct tlsk_layout L;

struct reported_key {
	__u64 ssl;
	__u64 random_head;		/* first 8 bytes of the client random */
	__u32 tgid;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct reported_key);
	__type(value, __u8);
} reported SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);		/* pid_tgid */
	__type(value, __u64);		/* SSL * */
} in_handshake SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} tls_events SEC(".maps");

static __always_inline void report(void *ssl)
{
	struct reported_key k = {};
	struct tlsk_event *e;
	__u64 sess = 0, cipher = 0, id = bpf_get_current_pid_tgid();
	__u8 one = 1;
	int version = 0;

	if (!ssl)
		return;
	k.ssl = (__u64)ssl;
	k.tgid = id >> 32;
	if (bpf_probe_read_user(&k.random_head, 8, ssl + L.client_random) || !k.random_head)
		return;
	if (bpf_map_lookup_elem(&reported, &k))
		return;
	if (bpf_probe_read_user(&version, sizeof(version), ssl + L.version) ||
	    bpf_probe_read_user(&sess, sizeof(sess), ssl + L.session) || !sess)
		return;
	if (version != TLS1_2_VERSION && version != TLS1_3_VERSION)
		return;
	e = bpf_ringbuf_reserve(&tls_events, sizeof(*e), 0);
	if (!e)
		return;
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->version = version;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	if (bpf_probe_read_user(&cipher, sizeof(cipher), (void *)sess + L.sess_cipher) || !cipher ||
	    bpf_probe_read_user(&e->cipher_id, 4, (void *)cipher + L.cipher_id) ||
	    bpf_probe_read_user(e->client_random, TLSK_RANDOM_LEN, ssl + L.client_random))
		goto discard;
	if (version == TLS1_2_VERSION) {
		if (bpf_probe_read_user(&e->master_key_len, 8, (void *)sess + L.sess_master_key_length) ||
		    e->master_key_len != TLSK_MASTER_LEN ||
		    bpf_probe_read_user(e->master_key, TLSK_MASTER_LEN, (void *)sess + L.sess_master_key))
			goto discard;	/* not complete yet */
	} else {
		e->master_key_len = 0;
		if (bpf_probe_read_user(e->handshake_secret, TLSK_MD_MAX, ssl + L.handshake_secret) ||
		    bpf_probe_read_user(e->handshake_traffic_hash, TLSK_MD_MAX,
					ssl + L.handshake_traffic_hash) ||
		    bpf_probe_read_user(e->client_app_traffic_secret, TLSK_MD_MAX,
					ssl + L.client_app_traffic_secret) ||
		    bpf_probe_read_user(e->server_app_traffic_secret, TLSK_MD_MAX,
					ssl + L.server_app_traffic_secret) ||
		    bpf_probe_read_user(e->exporter_master_secret, TLSK_MD_MAX,
					ssl + L.exporter_master_secret))
			goto discard;
		/* before the Finished messages the application secrets are still zero */
		if (!*(__u64 *)e->client_app_traffic_secret && !*(__u64 *)e->server_app_traffic_secret)
			goto discard;
	}
	bpf_map_update_elem(&reported, &k, &one, BPF_ANY);
	bpf_ringbuf_submit(e, 0);
	return;
discard:
	bpf_ringbuf_discard(e, 0);
}

/* BPF_KPROBE/BPF_KRETPROBE: pt_regs argument access, the same for uprobes (libbpf 1.1 has no
 * BPF_UPROBE). */
SEC("uprobe")
int BPF_KPROBE(ssl_handshake_enter, void *ssl)
{
	__u64 id = bpf_get_current_pid_tgid(), p = (__u64)ssl;

	bpf_map_update_elem(&in_handshake, &id, &p, BPF_ANY);
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(ssl_handshake_exit, int ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u64 *p = bpf_map_lookup_elem(&in_handshake, &id);

	if (!p)
		return 0;
	if (ret == 1)	/* done; non-blocking callers see -1 (want read/write) until then */
		report((void *)*p);
	bpf_map_delete_elem(&in_handshake, &id);
	return 0;
}
