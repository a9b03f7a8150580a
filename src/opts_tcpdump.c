// SPDX-License-Identifier: BSD-3-Clause
/* tcpdump 4.99's command line in procap: every option and long option tcpdump takes either
 * works the same, is accepted without effect (what it changes does not exist in procap), or is
 * refused with the reason. The rows below are printed by --help in those three sections and
 * listed in the man page (TCPDUMP OPTIONS). */
#include <net/if.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

/* pcap.h and libbpf's linux/bpf.h both define struct bpf_insn and struct bpf_program */
#define bpf_insn pcap_insn
#define bpf_program pcap_program
#include <pcap/pcap.h>
#undef bpf_insn
#undef bpf_program
#include <bpf/libbpf.h>

#include "opts_int.h"
#include "util.h"

enum {
	OPT_IMMEDIATE = 512, OPT_COUNT_ONLY, OPT_MICRO, OPT_NANO, OPT_TS_PRECISION, OPT_FP_TYPE,
};

const struct compat_row tcpdump_rows[] = {
	/* long names tcpdump gives to options procap already has */
	{ { "buffer-size", 'B', 1, NULL, NULL }, COMPAT_WORKS },
	{ { "list-interfaces", 'D', 0, NULL, NULL }, COMPAT_WORKS },
	{ { "interface", 'i', 1, NULL, NULL }, COMPAT_WORKS },
	{ { "direction", 'Q', 1, NULL, NULL }, COMPAT_WORKS },
	{ { "snapshot-length", 's', 1, NULL, NULL }, COMPAT_WORKS },
	{ { "absolute-tcp-sequence-numbers", 'S', 0, NULL, NULL }, COMPAT_WORKS },
	{ { "relinquish-privileges", 'Z', 1, NULL, NULL }, COMPAT_WORKS },
	{ { "number", '#', 0, NULL, NULL }, COMPAT_WORKS },
	{ { "packet-buffered", 'U', 0, NULL, NULL }, COMPAT_WORKS },
	{ { "dont-verify-checksums", 'K', 0, NULL, NULL }, COMPAT_WORKS },
	{ { "list-time-stamp-types", 'J', 0, NULL, NULL }, COMPAT_WORKS },
	{ { "time-stamp-type", 'j', 1, NULL, NULL }, COMPAT_WORKS },
	{ { "list-data-link-types", 'L', 0, NULL, NULL }, COMPAT_WORKS },
	{ { "linktype", 'y', 1, NULL, NULL }, COMPAT_WORKS },
	{ { "no-promiscuous-mode", 'p', 0, NULL, NULL }, COMPAT_NOOP },
	{ { "no-optimize", 'O', 0, NULL, NULL }, COMPAT_NOOP },
	{ { "monitor-mode", 'I', 0, NULL, NULL }, COMPAT_REFUSED },
	/* tcpdump options that work as in tcpdump */
	{ { NULL, 'U', 0, NULL, "write each packet at once (-w, and printed lines)" }, COMPAT_WORKS },
	{ { "immediate-mode", OPT_IMMEDIATE, 0, NULL, "wake procap for every packet" }, COMPAT_WORKS },
	{ { "count", OPT_COUNT_ONLY, 0, NULL, "print only the number of packets at the end" },
	  COMPAT_WORKS },
	{ { "micro", OPT_MICRO, 0, NULL, "microsecond time stamps (the default)" }, COMPAT_WORKS },
	{ { "nano", OPT_NANO, 0, NULL, "nanosecond time stamps in printed lines" }, COMPAT_WORKS },
	{ { "time-stamp-precision", OPT_TS_PRECISION, 1, "P", "micro or nano" }, COMPAT_WORKS },
	{ { NULL, 'K', 0, NULL, "do not verify IP/TCP/UDP/ICMP checksums (-v)" }, COMPAT_WORKS },
	{ { NULL, 'J', 0, NULL, "list time stamp types (host) and exit" }, COMPAT_WORKS },
	{ { NULL, 'j', 1, "TYPE", "time stamp type: host (others warn, as tcpdump does)" },
	  COMPAT_WORKS },
	{ { NULL, 'L', 0, NULL, "list data link types (EN10MB) and exit" }, COMPAT_WORKS },
	{ { NULL, 'y', 1, "TYPE", "data link type: EN10MB, the only one procap captures" },
	  COMPAT_WORKS },
	{ { NULL, 'h', 0, NULL, "show this help and exit" }, COMPAT_WORKS },
	/* accepted; what they change does not exist in procap */
	{ { NULL, 'p', 0, NULL, "procap never puts an interface in promiscuous mode" }, COMPAT_NOOP },
	{ { NULL, 'a', 0, NULL, "procap never resolves names" }, COMPAT_NOOP },
	{ { NULL, 'f', 0, NULL, "procap never resolves names" }, COMPAT_NOOP },
	{ { NULL, 'N', 0, NULL, "procap never resolves names" }, COMPAT_NOOP },
	{ { NULL, 'b', 0, NULL, "procap has no BGP printer" }, COMPAT_NOOP },
	{ { NULL, 'H', 0, NULL, "procap has no 802.11 printer" }, COMPAT_NOOP },
	{ { NULL, 'u', 0, NULL, "procap has no NFS printer" }, COMPAT_NOOP },
	{ { NULL, 'O', 0, NULL, "filters are always optimized (same verdicts)" }, COMPAT_NOOP },
	/* refused, with the reason */
	{ { NULL, 'E', 1, "SPEC", "procap does not decrypt ESP" }, COMPAT_REFUSED },
	{ { NULL, 'I', 0, NULL, "procap captures at TC/XDP: no monitor mode" }, COMPAT_REFUSED },
	{ { NULL, 'm', 1, "MODULE", "procap has no SNMP MIB printer" }, COMPAT_REFUSED },
	{ { NULL, 'M', 1, "SECRET", "procap does not verify TCP-MD5 signatures" }, COMPAT_REFUSED },
	{ { NULL, 'T', 1, "TYPE", "procap has no printers for -T packet types" }, COMPAT_REFUSED },
	{ { NULL, 'V', 1, "FILE", "procap reads one file: give it with -r" }, COMPAT_REFUSED },
	{ { NULL, 'Y', 0, NULL, "libpcap's parser debugging is not built in" }, COMPAT_REFUSED },
	{ { "fp-type", OPT_FP_TYPE, 0, NULL, "a tcpdump build self-test" }, COMPAT_REFUSED },
};

#define ROWS (sizeof(tcpdump_rows) / sizeof(tcpdump_rows[0]))
_Static_assert(ROWS == N_TCPDUMP_ROWS, "N_TCPDUMP_ROWS");

const char *opts_long_alias(int key)
{
	for (size_t i = 0; i < ROWS; i++)
		if (!tcpdump_rows[i].row.help && tcpdump_rows[i].row.key == key)
			return tcpdump_rows[i].row.lng;
	return NULL;
}

static const struct compat_row *find(int key)
{
	for (size_t i = 0; i < ROWS; i++)
		if (tcpdump_rows[i].row.help && tcpdump_rows[i].row.key == key)
			return &tcpdump_rows[i];
	return NULL;
}

/* -j: the names libpcap knows are accepted with tcpdump's warning when the device cannot give
 * them (procap's time stamps are the host's: bpf_ktime_get_ns on the capture path). */
static int time_stamp_type(const char *arg)
{
	if (pcap_tstamp_type_name_to_val(arg) < 0) {
		fprintf(stderr, "procap: invalid time stamp type %s\n", arg);
		return 1;
	}
	if (strcasecmp(arg, "host"))
		fprintf(stderr, "procap: WARNING: time stamp type '%s' is not supported: procap's "
			"time stamps are the host's (host)\n", arg);
	return 0;
}

static int link_type(const char *arg)
{
	if (pcap_datalink_name_to_val(arg) < 0) {
		fprintf(stderr, "procap: invalid data link type %s\n", arg);
		return 1;
	}
	if (pcap_datalink_name_to_val(arg) != DLT_EN10MB) {
		fprintf(stderr, "procap: data link type %s not supported: procap captures every "
			"interface as EN10MB (Ethernet) (see procap -L)\n", arg);
		return 1;
	}
	return 0;
}

int opts_tcpdump(struct options *o, int key, const char *arg)
{
	const struct compat_row *r = find(key);

	if (!r)
		return -2;
	if (r->kind == COMPAT_REFUSED) {
		if (r->row.lng)
			fprintf(stderr, "procap: --%s is not supported: %s\n", r->row.lng, r->row.help);
		else
			fprintf(stderr, "procap: -%c is not supported: %s\n", key, r->row.help);
		return 1;
	}
	switch (key) {
	case 'U': o->packet_buffered = true; break;
	case OPT_IMMEDIATE: o->immediate = true; break;
	case OPT_COUNT_ONLY: o->count_only = true; break;
	case OPT_MICRO: o->nano = false; break;
	case OPT_NANO: o->nano = true; break;
	case OPT_TS_PRECISION:
		if (!strcmp(arg, "nano"))
			o->nano = true;
		else if (!strcmp(arg, "micro"))
			o->nano = false;
		else {
			fprintf(stderr, "procap: unsupported time stamp precision %s (micro or nano)\n",
				arg);
			return 1;
		}
		break;
	case 'K': o->no_cksum = true; break;
	case 'J': o->list_tstamp_types = true; break;
	case 'j': return time_stamp_type(arg);
	case 'L': o->list_linktypes = true; break;
	case 'y': return link_type(arg);
	case 'h':
		opts_usage(stdout);
		return -1;
	default:
		break;	/* COMPAT_NOOP */
	}
	return 0;
}

void opts_print_version(FILE *out)
{
	fprintf(out, "procap %s\n%s\nlibbpf version %s\nzlib version %s\n%s\n", PROCAP_VERSION,
		pcap_lib_version(), libbpf_version_string(), zlibVersion(),
		OpenSSL_version(OPENSSL_VERSION));
}

int opts_tcpdump_list(const struct options *o)
{
	const char *ifname = o->n_ifaces ? o->ifaces[0] : "any";

	if (strcmp(ifname, "any") && !if_nametoindex(ifname)) {
		fprintf(stderr, "procap: %s: No such device exists (procap -D lists the interfaces)\n",
			ifname);
		return 1;
	}
	/* on stderr, as tcpdump prints them; procap gives every interface, L3 devices
	 * included, an Ethernet header (live.c) */
	if (o->list_tstamp_types)
		fprintf(stderr, "Time stamp types for %s (use option -j to set):\n  host (Host)\n",
			ifname);
	if (o->list_linktypes)
		fprintf(stderr, "Data link types for %s (use option -y to set):\n"
			"  EN10MB (Ethernet)\n", ifname);
	return 0;
}
