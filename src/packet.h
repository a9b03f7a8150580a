// SPDX-License-Identifier: BSD-3-Clause
/* One packet as every sink sees it: a live packet from the ring buffer and a packet replayed
 * from a file become this same struct and take the same path (docs/ARCHITECTURE.md). */
#ifndef PROCAP_PACKET_H
#define PROCAP_PACKET_H

#include <stdbool.h>
#include <stdint.h>

enum pkt_dir { PKT_DIR_UNKNOWN = 0, PKT_DIR_IN = 1, PKT_DIR_OUT = 2 };

/* How the owner of a packet was found (pcapng comment "Source:", JSON "owner_source"). */
enum owner_source { OWNER_NONE = 0, OWNER_COOKIE, OWNER_TUPLE, OWNER_PROC, OWNER_COMM };

#define PROC_COMM_LEN	16
#define PROC_STR_LEN	256

/* A container as its runtime's state names it (src/live/container.h); "" where unknown. */
struct ctr_meta {
	char name[64];			/* the runtime's container name (podman/docker --name) */
	char image[160];
	char pod[128];			/* Kubernetes: io.kubernetes.pod.name */
	char pod_ns[64];		/* io.kubernetes.pod.namespace */
	char pod_ctr[64];		/* io.kubernetes.container.name */
};

struct proc_meta {
	bool valid;			/* an owner is known */
	uint8_t source;			/* enum owner_source */
	uint32_t pid, tid, ppid, uid;
	uint64_t cgroup_id;
	char comm[PROC_COMM_LEN];
	char exe[PROC_STR_LEN];
	char args[PROC_STR_LEN];
	char cgroup[PROC_STR_LEN];	/* cgroup v2 path, "" if unknown */
	char container[80];		/* container id parsed from the cgroup path, "" if none */
	struct ctr_meta ctr;		/* that container's names, from its runtime's state */
	uint64_t serial;		/* live: equal nonzero serials mean equal fields; 0 unknown */
};

/* --tcpinfo: the local TCP socket's state when the segment passed (struct cap_tcpinfo; the
 * pcapng comment's TCPInfo: line, src/sink/tcpinfo.h). */
struct tcp_state {
	uint32_t cwnd, ssthresh;	/* segments */
	uint32_t srtt_us, rttvar_us;
	uint32_t snd_wnd, rcv_wnd;	/* bytes */
	uint32_t packets_out, retrans_out, sacked_out, lost_out;
	uint32_t mss;
	uint32_t in_flight;		/* bytes: snd_nxt - snd_una */
	uint64_t pacing_rate;		/* bytes/s; 0 unknown, UINT64_MAX unlimited */
	uint64_t delivery_rate;		/* bytes/s, 0 if not measured yet */
	uint8_t ca_state;		/* 0 open, 1 disorder, 2 cwr, 3 recovery, 4 loss */
};

struct packet {
	uint64_t ts_ns;			/* realtime, ns since the epoch */
	uint64_t ts_subsec_over_ns;	/* a classic pcap record's sub-second field of 1 s or
					   more, in ns (ts_ns has it added; tcpdump prints it
					   as it stands): 0 if valid */
	uint32_t wire_len;		/* original length on the wire */
	uint32_t cap_len;		/* bytes in data[] */
	const uint8_t *data;
	int linktype;			/* LINKTYPE_* of data */
	uint32_t if_id;			/* interface index within the source (pcapng IDB number) */
	const char *ifname;		/* NULL if unknown */
	uint8_t dir;			/* enum pkt_dir */
	bool has_packet_id, has_dropcount;
	uint64_t packet_id;		/* epb_packetid */
	bool packet_id_ordinal;		/* packet_id is the packet's number in this capture: a
					   file whose frames count the same way leaves it out */
	uint64_t dropcount;		/* epb_dropcount */
	bool has_epb_pid;		/* the file's EPB carried epb_processid_threadid */
	uint32_t epb_pid, epb_tid;	/* its values (read back by -r; the writer uses proc) */
	const char *comment;		/* first opt_comment of a pcapng EPB, NULL if none */
	const char *src_name, *dst_name; /* names learned for the addresses (names.h), or NULL */
	uint8_t src_name_source, dst_name_source; /* where each was learned: enum name_source */
	bool has_tcp;			/* tcp holds --tcpinfo state */
	bool procap_meta;		/* live, or read back from a procap pcapng comment: print
					   the IFNAME [COMM.PID] In|Out columns */
	struct proc_meta proc;		/* owner; proc.valid false if none */
	struct proc_meta peer;		/* the local receiver when the owner sent it (both ends
					   on this machine); peer.valid false if none */
	uint64_t number;		/* 1-based packet number in this run (-#) */
	struct tcp_state tcp;		/* read only where has_tcp: a live capture leaves it
					   as the last packet with state had it */
};

#endif
