// SPDX-License-Identifier: BSD-3-Clause
/* Command-line options: one table in opts.c drives parsing, defaults and --help. */
#ifndef PROCAP_OPTS_H
#define PROCAP_OPTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define OPT_MAX_IFACES	32
#define OPT_MAX_PIDS	64
#define OPT_MAX_NETNS	16

struct options {
	/* input */
	const char *read_file;		/* -r */
	const char *ifaces[OPT_MAX_IFACES];	/* -i, repeatable; none = any */
	int n_ifaces;
	bool list_ifaces;		/* -D */
	bool xdp;			/* --xdp */
	int direction;			/* -Q: 0 inout, 1 in, 2 out */
	uint32_t snaplen;		/* -s, 0 = 262144 */
	uint32_t ring_kib;		/* -B, KiB */
	long count;			/* -c, 0 = unlimited */
	char *filter;			/* expression (args or -F), NULL if none */
	const char *filter_file;	/* -F */
	int dump_filter;		/* -d count: -dd, -ddd print libpcap's bpf_dump() forms */

	/* process filters */
	uint32_t pids[OPT_MAX_PIDS];	/* --pid */
	int n_pids;
	bool follow_forks;		/* --follow-forks */
	const char *comm;		/* --comm */
	bool has_uid;
	uint32_t uid;			/* --uid */
	const char *cgroup;		/* --cgroup */
	const char *container;		/* --container NAME|ID */
	const char *pod;		/* --pod NAME */
	const char *pod_ns;		/* --pod-namespace NS */
	const char *netns[OPT_MAX_NETNS];	/* --netns NAME|PATH|all, repeatable */
	int n_netns;
	char **cmd;			/* -- CMD ARGS..., NULL if none */

	/* text output */
	bool numeric;			/* -n */
	int tflag;			/* 0 default, 1 -t (none), 2 -tt, 3 -ttt, 4 -tttt, 5 -ttttt */
	int t_count;			/* how many -t were given */
	bool eflag;			/* -e */
	bool qflag;			/* -q */
	int vflag;			/* -v count */
	bool Sflag;			/* -S */
	bool number;			/* -# */
	int xflag;			/* -x=1 -xx=2 */
	int Xflag;			/* -X=1 -XX=2 */
	bool Aflag;			/* -A */
	bool line_buffered;		/* -l */
	bool json;			/* --json */
	bool summary;			/* --summary */
	bool print;			/* --print: print text even with -w */
	bool quiet_stats;		/* --no-stats: no counters at exit */
	bool extcap;			/* run by Wireshark as its extcap (extcap.h): no
					   "listening on" line */
	bool no_args;			/* --no-args: no command lines in files or output */

	/* flows and process views (src/sink/flowview.h, events_out.h) */
	bool flows;			/* --flows: a record per connection instead of packets */
	uint32_t top_secs;		/* --top: refresh interval, 0 = no top view */
	bool events;			/* --events: exec/exit lines */
	uint32_t flow_timeout;		/* --flow-timeout: UDP/ICMP idle seconds */
	uint32_t max_flows;		/* --max-flows: flow table capacity */

	/* file output */
	const char *write_file;		/* -w */
	uint64_t rotate_size;		/* -C, bytes (tcpdump: millions of bytes) */
	uint32_t rotate_secs;		/* -G */
	uint32_t rotate_count;		/* -W */
	const char *rotate_cmd;		/* -z */
	const char *user;		/* -Z */

	/* TLS secrets (src/sink/tlskeys.h) */
	bool tcpinfo;			/* --tcpinfo: TCP socket state beside each segment */
	const char *plot_file;		/* --plot: SVG of the flows' tcpinfo, not packet lines */
	bool tls_keys;			/* --tls-keys: libssl uprobes, system-wide */
	bool resolver_names;		/* --resolver-names: libc resolver uprobes, system-wide */
	const char *keylog_file;	/* --keylog-file: NSS key log */
	bool no_keylog;			/* --no-keylog: no SSLKEYLOGFILE for -- CMD */
	bool full_comments;		/* --full-comments: the full comment on every packet */
	bool pib;			/* --pib: Process Information Blocks */

	/* tcpdump habits (opts_tcpdump.c) */
	bool packet_buffered;		/* -U: -w and printed lines written per packet */
	bool immediate;			/* --immediate-mode: a wakeup per ring record */
	bool count_only;		/* --count: print only the packet count */
	bool nano;			/* --nano: 9 fraction digits in printed time stamps */
	bool no_cksum;			/* -K: no checksum verification in printers */
	bool list_tstamp_types;		/* -J */
	bool list_linktypes;		/* -L */
};

/* Parse argv into o. Returns 0 on success, 1 after printing a one-line error and usage hint,
 * or -1 when --help/--version was printed (exit 0). */
int opts_parse(struct options *o, int argc, char **argv);
void opts_usage(FILE *out);
/* --version: procap's and its libraries' versions (libpcap, libbpf, zlib, OpenSSL). */
void opts_print_version(FILE *out);
/* -J / -L: tcpdump's listings for the first -i interface; returns the exit code. */
int opts_tcpdump_list(const struct options *o);

#endif
