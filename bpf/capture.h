// SPDX-License-Identifier: BSD-3-Clause
/* THE kernel<->user ABI of procap: ring buffer records, counters and owner maps.
 * Included by BOTH sides and includes nothing itself: the BPF side gets __u* from vmlinux.h,
 * the user side from <linux/types.h> (bcc tcpconnect.h pattern). Fixed-width types only,
 * explicit padding, every struct a multiple of 8 bytes, network order fields end in _be. */
#ifndef PROCAP_CAPTURE_H
#define PROCAP_CAPTURE_H

/* Record kinds: every ring record starts with a __u32 kind. */
#define CAP_KIND_PACKET		1
#define CAP_KIND_EXEC		2	/* sched_process_exec */
#define CAP_KIND_EXIT		3	/* sched_process_exit of a thread group leader */
#define CAP_KIND_TCPINFO	4	/* --tcpinfo: precedes its packet (CAP_F_TCPINFO) */
#define CAP_KIND_PEER		5	/* the packet's peer: precedes its packet (peer_src) */

#define CAP_DIR_INGRESS		0
#define CAP_DIR_EGRESS		1

#define CAP_F_TRUNC		(1u << 0)	/* cap_len < wire_len */
#define CAP_F_XDP		(1u << 1)	/* seen by the XDP program */
#define CAP_F_L3		(1u << 2)	/* data starts at the IP header (no link header) */
#define CAP_F_TCPINFO		(1u << 3)	/* a cap_tcpinfo record with the same ts_ns,
						 * ifindex and dir came just before */

/* How the owner was found; same values as enum owner_source in src/packet.h. */
#define CAP_SRC_NONE		0
#define CAP_SRC_COOKIE		1	/* the socket's own storage (sock_owner): the skb's
					 * socket, or the one the kernel delivers it to */
#define CAP_SRC_TUPLE		2	/* local tuple -> tuple_owner (hooks, egress) */
#define CAP_SRC_PROC		3	/* tuple from the /proc scan at start */

/* Packet data size classes: a record reserves sizeof(struct cap_event) + one of these, the
 * smallest that holds min(len, snaplen). Constants so the verifier can prove the bounds. The
 * smallest holds a minimum Ethernet frame: a flood of them moves 40% fewer ring bytes than
 * with 128. */
#define CAP_CLASS_S		64
#define CAP_CLASS_0		128
#define CAP_CLASS_1		512
#define CAP_CLASS_2		1536	/* a 1500-byte MTU frame, VLAN tags included */
#define CAP_CLASS_3		16384
#define CAP_CLASS_4		65536
#define CAP_DATA_MAX		CAP_CLASS_4	/* longer packets (BIG TCP) are truncated */

#define CAP_COMM_LEN		16

/* A record wakes the reader at most once per this gap unless the ring fills (bpf/wake.bpf.h);
 * the reader drains on its own at the same interval while records come (src/live.c). */
#define CAP_WAKE_GAP_MS		100

/* Owner flags (struct cap_owner.flags). */
#define CAP_OWNER_IN_CGROUP	(1u << 0)	/* in the --cgroup / -- CMD cgroup subtree */

/* Who owns a socket: the task that created or bound it (cgroup sock hooks) or last sent on it
 * in its own system call (the egress capture program, bpf/owner.bpf.h). */
struct cap_owner {
	__u32 pid;			/* tgid */
	__u32 tid;
	__u32 uid;
	__u32 flags;			/* CAP_OWNER_* */
	__u64 cgroup_id;		/* cgroup v2 id of the task */
	char comm[CAP_COMM_LEN];
};

/* Key of tuple_owner. Addresses in network order, IPv4 in the first 4 bytes (rest zero).
 * A flow entry (the full tuple, learned in whichever network namespace the socket lives) names
 * a packet's sender or receiver anywhere on the machine. A bound socket's entry (remote port
 * zero; local address zero for the wildcard) holds the socket's netns cookie in the first 8
 * bytes of raddr: it matches only packets seen in that namespace. For ICMP echo the local port
 * is the echo identifier. */
struct cap_tuple {
	__u8 laddr[16];
	__u8 raddr[16];
	__u16 lport_be;
	__u16 rport_be;
	__u8 proto;			/* IPPROTO_TCP/UDP/ICMP/ICMPV6 */
	__u8 _pad[3];
};

struct cap_tuple_val {
	struct cap_owner owner;
	__u32 source;			/* CAP_SRC_TUPLE or CAP_SRC_PROC */
	__u32 _pad;
};

/* Packet record: header then cap_len bytes of packet (the reservation is one size class). */
struct cap_event {
	__u32 kind;			/* CAP_KIND_PACKET */
	__u32 ifindex;
	__u64 ts_ns;			/* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	__u64 drops;			/* ring-full drops so far (all CPUs) when reserved */
	__u32 wire_len;			/* skb->len / xdp buffer length */
	__u32 cap_len;			/* valid bytes in data[] */
	__u32 mark;
	__u16 protocol_be;		/* skb->protocol (EtherType, network order) */
	__u8 dir;			/* CAP_DIR_* */
	__u8 flags;			/* CAP_F_* */
	__u8 owner_src;			/* CAP_SRC_* */
	__u8 peer_src;			/* CAP_SRC_* of the peer; not NONE: a cap_peer record with
					 * the same ts_ns, ifindex and dir came just before */
	__u8 _pad[6];
	struct cap_owner owner;		/* valid if owner_src != CAP_SRC_NONE */
	__u8 data[];
};

/* The receiving local process of a packet its owner sent (both ends on this machine), in a
 * record of its own: most packets have none, and 40 bytes in every packet record cost a flood
 * the ring bytes. Submitted just before its packet; ts_ns, ifindex and dir equal the packet's. */
struct cap_peer {
	__u32 kind;			/* CAP_KIND_PEER */
	__u32 ifindex;
	__u64 ts_ns;
	__u8 dir;			/* CAP_DIR_* */
	__u8 _pad[7];
	struct cap_owner peer;
};

/* --tcpinfo (bpf/tcpinfo.bpf.h): the state of the local TCP socket of a packet when it was
 * captured: at egress the sender's own socket, at ingress the receiving socket. Submitted just
 * before the packet record it belongs to; ts_ns, ifindex and dir equal that record's. Fields
 * are struct tcp_sock's (srtt_us and mdev_us already unscaled to microseconds). */
struct cap_tcpinfo {
	__u32 kind;			/* CAP_KIND_TCPINFO */
	__u32 ifindex;
	__u64 ts_ns;
	__u32 snd_cwnd;			/* segments */
	__u32 snd_ssthresh;		/* segments */
	__u32 srtt_us;
	__u32 rttvar_us;		/* mdev_us >> 2 */
	__u32 snd_wnd;			/* bytes */
	__u32 rcv_wnd;			/* bytes */
	__u32 packets_out;
	__u32 retrans_out;
	__u32 sacked_out;
	__u32 lost_out;
	__u32 mss_cache;
	__u32 rate_delivered;		/* segments delivered in rate_interval_us */
	__u32 rate_interval_us;
	__u32 snd_una;
	__u32 snd_nxt;
	__u8 ca_state;			/* TCP_CA_Open .. TCP_CA_Loss */
	__u8 dir;			/* CAP_DIR_* */
	__u8 _pad[2];
	__u64 pacing_rate;		/* bytes per second, ~0 if unlimited */
};

#define CAP_PATH_LEN		128

/* Process record (exec / exit): feeds the process table. */
struct cap_proc_event {
	__u32 kind;			/* CAP_KIND_EXEC / EXIT */
	__u32 pid;			/* tgid */
	__u64 ts_ns;
	__u32 ppid;			/* parent tgid (real_parent) */
	__u32 uid;
	__u32 exit_code;		/* EXIT: task->exit_code */
	__u32 args_len;			/* EXEC: bytes in args (NUL separated) */
	__u64 cgroup_id;
	char comm[CAP_COMM_LEN];
	char filename[CAP_PATH_LEN];	/* EXEC: path given to execve */
	char args[CAP_PATH_LEN];	/* EXEC: start of argv, NUL separated */
	__u64 start_ns;			/* the process's creation (fork) time, ts_ns's clock */
};

/* Per-CPU counters (array map "stats", key 0). */
struct cap_stats {
	__u64 seen;			/* packets the capture programs ran on */
	__u64 filter_rejected;		/* did not match the pcap expression */
	__u64 proc_rejected;		/* did not match the process filters */
	__u64 passed;			/* matched every filter */
	__u64 captured;			/* records submitted to the ring */
	__u64 ringbuf_full;		/* reservation failed: dropped */
	__u64 load_err;			/* bpf_skb/xdp_load_bytes failed: dropped */
	__u64 attributed;		/* owner found */
};

/* Per-interface settings (hash "ifcfg", key ifindex), written by userspace at attach. */
#define CAP_IF_L3		(1u << 0)	/* no link header: packets start with IP */
/* Bits 16-31: 1 + the id the capture namespace gives the namespace of the device's other end
 * (a veth's peer; IFLA_LINK_NETNSID), 0 if none: its sockets are looked up directly. */
#define CAP_IF_PEER_SHIFT	16

/* Process filter switches (rodata pfilter_mask). */
#define CAP_PF_PID		(1u << 0)
#define CAP_PF_COMM		(1u << 1)
#define CAP_PF_UID		(1u << 2)
#define CAP_PF_CGROUP		(1u << 3)
#define CAP_PF_CGROUP_SET	(1u << 4)	/* owner's cgroup id in map cgroup_set (--container) */

#endif
