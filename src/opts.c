// SPDX-License-Identifier: BSD-3-Clause
/* Command-line parsing: one option table drives getopt_long, range checks and --help. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opts.h"
#include "opts_int.h"
#include "util.h"

enum {
	OPT_JSON = 256, OPT_SUMMARY, OPT_PRINT, OPT_XDP, OPT_PID, OPT_FOLLOW, OPT_COMM, OPT_UID,
	OPT_CGROUP, OPT_CONTAINER, OPT_POD, OPT_POD_NS, OPT_NETNS, OPT_HELP, OPT_VERSION, OPT_NO_STATS, OPT_NO_ARGS, OPT_TLS_KEYS, OPT_KEYLOG_FILE,
	OPT_NO_KEYLOG, OPT_FULL_COMMENTS, OPT_PIB, OPT_FLOWS, OPT_TOP, OPT_EVENTS,
	OPT_FLOW_TIMEOUT, OPT_MAX_FLOWS, OPT_TCPINFO, OPT_PLOT, OPT_RESOLVER_NAMES,
};

static const struct opt_row rows[] = {
	{ NULL, 'i', 1, "IFACE", "capture on IFACE (repeatable; 'any' = all, also new ones)" },
	{ NULL, 'r', 1, "FILE", "read pcap/pcapng (plain or gzip) from FILE, '-' = stdin" },
	{ NULL, 'w', 1, "FILE", "write pcapng to FILE ('-' = stdout, '.gz' = gzip)" },
	{ NULL, 'c', 1, "COUNT", "exit after COUNT packets" },
	{ NULL, 's', 1, "SNAPLEN", "capture at most SNAPLEN bytes per packet (default 262144)" },
	{ NULL, 'B', 1, "KIB", "ring buffer size in KiB (rounded up to a power of two)" },
	{ NULL, 'D', 0, NULL, "list interfaces and exit" },
	{ NULL, 'Q', 1, "DIR", "direction to capture: in, out or inout" },
	{ NULL, 'F', 1, "FILE", "read the filter expression from FILE" },
	{ NULL, 'd', 0, NULL, "print the compiled filter (classic BPF and eBPF) and exit" },
	{ NULL, 'n', 0, NULL, "do not resolve addresses or ports" },
	{ NULL, 't', 0, NULL, "timestamps: -t none, -tt epoch, -ttt delta, -tttt date, -ttttt since first" },
	{ NULL, 'e', 0, NULL, "print the link-level header" },
	{ NULL, 'q', 0, NULL, "quick output: less protocol information" },
	{ NULL, 'v', 0, NULL, "verbose (repeatable); live: adds exe, args, ppid, cgroup" },
	{ NULL, 'S', 0, NULL, "absolute TCP sequence numbers" },
	{ NULL, '#', 0, NULL, "print a packet number at the start of each line" },
	{ NULL, 'x', 0, NULL, "hex dump of each packet (-xx: with link header)" },
	{ NULL, 'X', 0, NULL, "hex and ASCII dump (-XX: with link header)" },
	{ NULL, 'A', 0, NULL, "ASCII dump of each packet" },
	{ NULL, 'l', 0, NULL, "line-buffered standard output" },
	{ NULL, 'C', 1, "MB", "rotate -w file after MB million bytes" },
	{ NULL, 'G', 1, "SECS", "rotate -w file every SECS seconds (strftime name)" },
	{ NULL, 'W', 1, "COUNT", "keep at most COUNT rotated files" },
	{ NULL, 'z', 1, "CMD", "run CMD FILE after each rotated file is closed" },
	{ NULL, 'Z', 1, "USER", "drop privileges to USER after attaching" },
	{ "xdp", OPT_XDP, 0, NULL, "capture ingress with XDP instead of TC" },
	{ "json", OPT_JSON, 0, NULL, "one JSON object per packet per line" },
	{ "summary", OPT_SUMMARY, 0, NULL, "one line per TLS/QUIC client hello" },
	{ "print", OPT_PRINT, 0, NULL, "print packets to stdout while writing -w" },
	{ "flows", OPT_FLOWS, 0, NULL, "one record per connection, printed when it ends" },
	{ "top", OPT_TOP, 2, "SECS", "flows and processes by traffic, redrawn every SECS (2)" },
	{ "events", OPT_EVENTS, 0, NULL, "print process exec and exit events (live)" },
	{ "flow-timeout", OPT_FLOW_TIMEOUT, 1, "SECS", "end idle UDP/ICMP flows after SECS (30)" },
	{ "max-flows", OPT_MAX_FLOWS, 1, "N", "flow table size; the idlest flow is evicted (65536)" },
	{ "pid", OPT_PID, 1, "PID", "capture only packets of process PID (repeatable)" },
	{ "follow-forks", OPT_FOLLOW, 0, NULL, "with --pid, also children of PID" },
	{ "comm", OPT_COMM, 1, "NAME", "capture only packets of processes named NAME" },
	{ "uid", OPT_UID, 1, "UID", "capture only packets of processes of UID" },
	{ "cgroup", OPT_CGROUP, 1, "PATH", "capture only packets of cgroup v2 PATH and below" },
	{ "container", OPT_CONTAINER, 1, "NAME|ID", "capture only packets of that container" },
	{ "pod", OPT_POD, 1, "NAME", "capture only packets of Kubernetes pod NAME" },
	{ "pod-namespace", OPT_POD_NS, 1, "NS", "capture only packets of pods in namespace NS" },
	{ "netns", OPT_NETNS, 1, "NAME|PATH|all", "also capture in that network namespace" },
	{ "full-comments", OPT_FULL_COMMENTS, 0, NULL, "-w: the full process comment on every packet" },
	{ "pib", OPT_PIB, 0, NULL, "-w: Process Information Blocks (shift tshark 4.0 frame numbers)" },
	{ "tcpinfo", OPT_TCPINFO, 0, NULL, "live: the TCP socket's cwnd, ssthresh, srtt... per segment" },
	{ "plot", OPT_PLOT, 1, "SVG", "draw each flow's --tcpinfo (cwnd, srtt...) into SVG" },
	{ "resolver-names", OPT_RESOLVER_NAMES, 0, NULL, "live: name addresses from processes' getaddrinfo() results" },
	{ "tls-keys", OPT_TLS_KEYS, 0, NULL, "record TLS secrets of OpenSSL 3 processes (sensitive)" },
	{ "keylog-file", OPT_KEYLOG_FILE, 1, "PATH", "also append TLS secrets to PATH (NSS key log)" },
	{ "no-keylog", OPT_NO_KEYLOG, 0, NULL, "give -- COMMAND no SSLKEYLOGFILE" },
	{ "no-args", OPT_NO_ARGS, 0, NULL, "leave command lines (Args) out of files and output" },
	{ "no-stats", OPT_NO_STATS, 0, NULL, "do not print counters at exit" },
	{ "help", OPT_HELP, 0, NULL, "show this help and exit" },
	{ "version", OPT_VERSION, 0, NULL, "show the version and exit" },
};

#define N_ROWS (sizeof(rows) / sizeof(rows[0]))

/* One --help line: "-i, --interface IFACE  help" (tcpdump's long name after the letter). */
static void usage_row(FILE *out, const struct opt_row *r)
{
	const char *alias = r->lng ? NULL : opts_long_alias(r->key);
	const char *arg = r->arg ? r->arg : "";
	const char *sp = r->arg ? " " : "";
	char left[64];

	if (r->lng && r->has_arg == 2)	/* optional: --top[=SECS] */
		snprintf(left, sizeof(left), "--%s[=%s]", r->lng, arg);
	else if (r->lng)
		snprintf(left, sizeof(left), "--%s%s%s", r->lng, sp, arg);
	else if (alias)
		snprintf(left, sizeof(left), "-%c, --%s%s%s", r->key, alias, sp, arg);
	else
		snprintf(left, sizeof(left), "-%c%s%s", r->key, sp, arg);
	if (strlen(left) > 22)
		fprintf(out, "  %s\n  %-22s %s\n", left, "", r->help);
	else
		fprintf(out, "  %-22s %s\n", left, r->help);
}

void opts_usage(FILE *out)
{
	static const char *const sections[] = {
		[COMPAT_WORKS] = "tcpdump options, as in tcpdump",
		[COMPAT_NOOP] = "tcpdump options accepted without effect",
		[COMPAT_REFUSED] = "tcpdump options procap refuses",
	};

	fprintf(out, "Usage: procap [options] [expression] [-- COMMAND [ARGS...]]\n\n");
	for (size_t i = 0; i < N_ROWS; i++)
		usage_row(out, &rows[i]);
	for (int k = COMPAT_WORKS; k <= COMPAT_REFUSED; k++) {
		fprintf(out, "\n%s:\n", sections[k]);
		for (size_t i = 0; i < N_TCPDUMP_ROWS; i++)
			if (tcpdump_rows[i].kind == (enum compat_kind)k && tcpdump_rows[i].row.help)
				usage_row(out, &tcpdump_rows[i].row);
	}
}

/* One row into getopt_long's tables. */
static void add_getopt(const struct opt_row *r, struct option *lopts, size_t *nl, char *shorts,
		       size_t *ns)
{
	if (r->lng) {
		lopts[*nl].name = r->lng;
		lopts[*nl].has_arg = r->has_arg;
		lopts[*nl].flag = NULL;
		lopts[*nl].val = r->key;
		(*nl)++;
	} else {
		shorts[(*ns)++] = (char)r->key;
		if (r->has_arg)
			shorts[(*ns)++] = ':';
	}
}

static int bad(const char *opt, const char *val, const char *why)
{
	fprintf(stderr, "procap: invalid %s '%s': %s (see procap --help)\n", opt, val, why);
	return 1;
}

static int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	errno = 0;
	if (!*s || *s == '-')
		return -1;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static char *join_args(char **argv, int n)
{
	size_t len = 1;
	for (int i = 0; i < n; i++)
		len += strlen(argv[i]) + 1;
	char *s = xmalloc(len), *p = s;
	for (int i = 0; i < n; i++)
		p += sprintf(p, "%s%s", i ? " " : "", argv[i]);
	*p = 0;
	return s;
}

int opts_parse(struct options *o, int argc, char **argv)
{
	struct option lopts[N_ROWS + N_TCPDUMP_ROWS + 1];
	char shorts[(N_ROWS + N_TCPDUMP_ROWS) * 2 + 2];
	size_t nl = 0, ns = 0;
	uint64_t v;

	memset(o, 0, sizeof(*o));
	o->snaplen = 262144;
	o->ring_kib = 8192;
	o->flow_timeout = 30;
	o->max_flows = 65536;
	for (size_t i = 0; i < N_ROWS; i++)
		add_getopt(&rows[i], lopts, &nl, shorts, &ns);
	for (size_t i = 0; i < N_TCPDUMP_ROWS; i++)
		add_getopt(&tcpdump_rows[i].row, lopts, &nl, shorts, &ns);
	memset(&lopts[nl], 0, sizeof(lopts[nl]));
	shorts[ns] = 0;

	/* "--" separates procap's arguments from the command to run (procap ... -- CMD ARGS). */
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "procap: '--' must be followed by a command to run\n");
				return 1;
			}
			o->cmd = &argv[i + 1];
			argc = i;
			break;
		}
	}

	opterr = 0;
	optind = 1;
	int c, rc;
	while ((c = getopt_long(argc, argv, shorts, lopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (o->n_ifaces >= OPT_MAX_IFACES)
				return bad("-i", optarg, "too many interfaces");
			o->ifaces[o->n_ifaces++] = optarg;
			break;
		case 'r': o->read_file = optarg; break;
		case 'w': o->write_file = optarg; break;
		case 'c':
			if (parse_u64(optarg, 1, LONG_MAX, &v))
				return bad("packet count -c", optarg, "must be a positive integer");
			o->count = (long)v;
			break;
		case 's':
			if (parse_u64(optarg, 0, 262144, &v))
				return bad("snaplen -s", optarg, "must be 0..262144");
			o->snaplen = v ? (uint32_t)v : 262144;
			break;
		case 'B':
			/* 2 GiB: the largest ring the kernel makes, and ring_kib * 1024 fits 32 bits */
			if (parse_u64(optarg, 64, 1 << 21, &v))
				return bad("buffer size -B", optarg, "must be 64..2097152 KiB");
			o->ring_kib = (uint32_t)v;
			break;
		case 'D': o->list_ifaces = true; break;
		case 'Q':
			if (!strcmp(optarg, "inout")) o->direction = 0;
			else if (!strcmp(optarg, "in")) o->direction = 1;
			else if (!strcmp(optarg, "out")) o->direction = 2;
			else return bad("direction -Q", optarg, "must be in, out or inout");
			break;
		case 'F': o->filter_file = optarg; break;
		case 'd': o->dump_filter++; break;
		case 'n': o->numeric = true; break;
		case 't': o->t_count++; break;
		case 'e': o->eflag = true; break;
		case 'q': o->qflag = true; break;
		case 'v': o->vflag++; break;
		case 'S': o->Sflag = true; break;
		case '#': o->number = true; break;
		case 'x': o->xflag++; break;
		case 'X': o->Xflag++; break;
		case 'A': o->Aflag = true; break;
		case 'l': o->line_buffered = true; break;
		case 'C':
			if (parse_u64(optarg, 1, 1000000, &v))
				return bad("file size -C", optarg, "must be 1..1000000 (millions of bytes)");
			o->rotate_size = v * 1000000;
			break;
		case 'G':
			if (parse_u64(optarg, 1, 31536000, &v))
				return bad("rotation seconds -G", optarg, "must be 1..31536000");
			o->rotate_secs = (uint32_t)v;
			break;
		case 'W':
			if (parse_u64(optarg, 1, 100000, &v))
				return bad("file count -W", optarg, "must be 1..100000");
			o->rotate_count = (uint32_t)v;
			break;
		case 'z': o->rotate_cmd = optarg; break;
		case 'Z': o->user = optarg; break;
		case OPT_XDP: o->xdp = true; break;
		case OPT_JSON: o->json = true; break;
		case OPT_SUMMARY: o->summary = true; break;
		case OPT_PRINT: o->print = true; break;
		case OPT_NO_STATS: o->quiet_stats = true; break;
		case OPT_NO_ARGS: o->no_args = true; break;
		case OPT_TLS_KEYS: o->tls_keys = true; break;
		case OPT_TCPINFO: o->tcpinfo = true; break;
		case OPT_RESOLVER_NAMES: o->resolver_names = true; break;
		case OPT_PLOT: o->plot_file = optarg; break;
		case OPT_KEYLOG_FILE: o->keylog_file = optarg; break;
		case OPT_NO_KEYLOG: o->no_keylog = true; break;
		case OPT_FULL_COMMENTS: o->full_comments = true; break;
		case OPT_PIB: o->pib = true; break;
		case OPT_FLOWS: o->flows = true; break;
		case OPT_EVENTS: o->events = true; break;
		case OPT_TOP:
			/* "--top 5" too: a bare number is never a filter expression */
			if (!optarg && optind < argc && argv[optind][0] >= '0' &&
			    argv[optind][0] <= '9' && !parse_u64(argv[optind], 0, UINT64_MAX, &v))
				optarg = argv[optind++];
			if (optarg && parse_u64(optarg, 1, 3600, &v))
				return bad("--top", optarg, "must be 1..3600 seconds");
			o->top_secs = optarg ? (uint32_t)v : 2;
			break;
		case OPT_FLOW_TIMEOUT:
			if (parse_u64(optarg, 1, 86400, &v))
				return bad("--flow-timeout", optarg, "must be 1..86400 seconds");
			o->flow_timeout = (uint32_t)v;
			break;
		case OPT_MAX_FLOWS:
			if (parse_u64(optarg, 1, 1 << 24, &v))
				return bad("--max-flows", optarg, "must be 1..16777216");
			o->max_flows = (uint32_t)v;
			break;
		case OPT_PID:
			if (parse_u64(optarg, 1, 4194304, &v))
				return bad("--pid", optarg, "must be a process id");
			if (o->n_pids >= OPT_MAX_PIDS)
				return bad("--pid", optarg, "too many --pid options");
			o->pids[o->n_pids++] = (uint32_t)v;
			break;
		case OPT_FOLLOW: o->follow_forks = true; break;
		case OPT_COMM:
			if (!*optarg || strlen(optarg) > 15)
				return bad("--comm", optarg, "must be 1..15 characters");
			o->comm = optarg;
			break;
		case OPT_UID:
			if (parse_u64(optarg, 0, UINT32_MAX - 1, &v))
				return bad("--uid", optarg, "must be a numeric user id");
			o->has_uid = true;
			o->uid = (uint32_t)v;
			break;
		case OPT_CGROUP: o->cgroup = optarg; break;
		case OPT_CONTAINER: o->container = optarg; break;
		case OPT_POD: o->pod = optarg; break;
		case OPT_POD_NS: o->pod_ns = optarg; break;
		case OPT_NETNS:
			if (o->n_netns >= OPT_MAX_NETNS)
				return bad("--netns", optarg, "too many --netns options");
			o->netns[o->n_netns++] = optarg;
			break;
		case OPT_HELP:
			opts_usage(stdout);
			return -1;
		case OPT_VERSION:
			opts_print_version(stdout);
			return -1;
		case ':':
			fprintf(stderr, "procap: option '%s' needs an argument (see procap --help)\n",
				argv[optind - 1]);
			return 1;
		default:
			rc = c == '?' ? -2 : opts_tcpdump(o, c, optarg);
			if (rc != -2) {
				if (rc)
					return rc;
				break;
			}
			if (optopt && optopt < 256)
				fprintf(stderr, "procap: unknown option '-%c' (see procap --help)\n", optopt);
			else
				fprintf(stderr, "procap: unknown option '%s' (see procap --help)\n",
					argv[optind - 1]);
			return 1;
		}
	}
	if (o->t_count)
		o->tflag = o->t_count > 5 ? 5 : o->t_count;
	if (o->follow_forks && !o->n_pids) {
		fprintf(stderr, "procap: --follow-forks needs --pid\n");
		return 1;
	}
	if ((o->flows || o->top_secs) && o->summary) {
		fprintf(stderr, "procap: --summary cannot be combined with --flows or --top\n");
		return 1;
	}
	if (o->top_secs && (o->json || o->events)) {
		fprintf(stderr, "procap: --top draws a table; it cannot be combined with %s\n",
			o->json ? "--json" : "--events");
		return 1;
	}
	if (o->events && o->read_file) {
		fprintf(stderr, "procap: --events needs a live capture; files hold no process events\n");
		return 1;
	}
	if (o->keylog_file && !o->tls_keys && (!o->cmd || o->no_keylog)) {
		fprintf(stderr, "procap: --keylog-file needs --tls-keys or -- COMMAND\n");
		return 1;
	}
	if (o->resolver_names && o->read_file) {
		fprintf(stderr, "procap: --resolver-names captures live; it does not apply to -r\n");
		return 1;
	}
	/* the uprobes change every process's C library: only when the names are shown */
	if (o->resolver_names && !o->vflag && !o->json && !o->write_file) {
		fprintf(stderr, "procap: --resolver-names needs -v, --json or -w (where names are "
			"shown)\n");
		return 1;
	}
	if (o->tls_keys && o->read_file) {
		fprintf(stderr, "procap: --tls-keys captures live; it does not apply to -r\n");
		return 1;
	}
	if (o->rotate_count && !o->rotate_size && !o->rotate_secs) {
		fprintf(stderr, "procap: -W needs -C or -G\n");
		return 1;
	}
	if ((o->rotate_size || o->rotate_secs) && !o->write_file) {
		fprintf(stderr, "procap: -C and -G need -w FILE\n");
		return 1;
	}
	if (optind < argc) {
		if (o->filter_file) {
			fprintf(stderr, "procap: both -F %s and a filter expression on the command line\n",
				o->filter_file);
			return 1;
		}
		o->filter = join_args(&argv[optind], argc - optind);
		/* as for -F files: a newline is white space, and error messages stay one line */
		for (char *q = o->filter; *q; q++)
			if (*q == '\n' || *q == '\r' || *q == '\t')
				*q = ' ';
	}
	return 0;
}
