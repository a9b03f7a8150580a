// SPDX-License-Identifier: BSD-3-Clause
/* extcap front end (see extcap.h). specification: Wireshark's doc/extcap.adoc and the
 * Developer's Guide, "Extcap: Developer Guide" (interface, dlt, arg and value sentences). */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extcap.h"
#include "ifaces.h"
#include "util.h"

#define EXTCAP_IFACE	"procap"
#define MAX_ARGS	96

/* The extcap arguments procap understands; the config ones are the settings Wireshark shows. */
struct extcap_args {
	bool interfaces, dlts, config, capture;
	const char *iface;		/* --extcap-interface */
	const char *fifo;		/* --fifo */
	const char *filter;		/* --extcap-capture-filter */
	/* config */
	const char *dev;		/* --iface: a device or "any" */
	const char *pids;		/* --pid: "1234" or "1234,5678" */
	const char *comm;		/* --comm */
	const char *container;		/* --container */
	const char *snaplen;		/* --snaplen */
	bool full_comments;		/* --full-comments */
};

bool extcap_requested(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			return false;
		if (!strncmp(argv[i], "--extcap-", 9) || !strcmp(argv[i], "--capture"))
			return true;
	}
	return false;
}

/* "--name value" or "--name=value" at argv[*i]; advances *i past the value. */
static bool take(int argc, char **argv, int *i, const char *name, const char **val)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n))
		return false;
	if (argv[*i][n] == '=') {
		*val = argv[*i] + n + 1;
		return true;
	}
	if (argv[*i][n] || *i + 1 >= argc)
		return false;
	*val = argv[++*i];
	return true;
}

static int parse(int argc, char **argv, struct extcap_args *a)
{
	const char *ignored;

	memset(a, 0, sizeof(*a));
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		if (!strcmp(s, "--extcap-interfaces")) a->interfaces = true;
		else if (!strcmp(s, "--extcap-dlts")) a->dlts = true;
		else if (!strcmp(s, "--extcap-config")) a->config = true;
		else if (!strcmp(s, "--capture")) a->capture = true;
		else if (!strcmp(s, "--full-comments")) a->full_comments = true;
		else if (!strncmp(s, "--extcap-version", 16)) continue;	/* Wireshark's version */
		else if (take(argc, argv, &i, "--extcap-interface", &a->iface)) continue;
		else if (take(argc, argv, &i, "--extcap-capture-filter", &a->filter)) continue;
		else if (take(argc, argv, &i, "--fifo", &a->fifo)) continue;
		else if (take(argc, argv, &i, "--iface", &a->dev)) continue;
		else if (take(argc, argv, &i, "--pid", &a->pids)) continue;
		else if (take(argc, argv, &i, "--comm", &a->comm)) continue;
		else if (take(argc, argv, &i, "--container", &a->container)) continue;
		else if (take(argc, argv, &i, "--snaplen", &a->snaplen)) continue;
		/* control pipes (toolbar): procap has no controls; Wireshark may still pass them */
		else if (take(argc, argv, &i, "--extcap-control-in", &ignored)) continue;
		else if (take(argc, argv, &i, "--extcap-control-out", &ignored)) continue;
		else {
			pr_warn("extcap: unknown argument '%s'\n", s);
			return 1;
		}
	}
	if ((a->dlts || a->config || a->capture || a->filter) && !a->interfaces &&
	    (!a->iface || strcmp(a->iface, EXTCAP_IFACE))) {
		pr_warn("extcap: no such interface '%s' (procap has '" EXTCAP_IFACE "')\n",
			a->iface ? a->iface : "");
		return 1;
	}
	if (a->capture && !a->fifo) {
		pr_warn("extcap: --capture needs --fifo PATH\n");
		return 1;
	}
	return 0;
}

static void print_interfaces(void)
{
	printf("extcap {version=%s}{help=man:procap(8)}\n", PROCAP_VERSION);
	printf("interface {value=" EXTCAP_IFACE "}{display=procap: packets with the process that "
	       "sent or received them}\n");
}

static void print_dlts(void)
{
	/* every packet procap writes is Ethernet (L3 devices get a synthetic header) */
	printf("dlt {number=1}{name=EN10MB}{display=Ethernet}\n");
}

/* Values may not contain the sentence delimiters; device names never do. */
static void print_config(void)
{
	struct iface_info *list = NULL;
	int n = ifaces_scan(&list);

	printf("arg {number=0}{call=--iface}{display=Interface}{type=selector}"
	       "{tooltip=Network device to capture on (any: all of them, new ones too)}\n");
	printf("value {arg=0}{value=any}{display=any (all devices)}{default=true}\n");
	for (int i = 0; i < n; i++)
		printf("value {arg=0}{value=%s}{display=%s}{default=false}\n", list[i].name,
		       list[i].name);
	free(list);
	printf("arg {number=1}{call=--pid}{display=Process IDs}{type=string}"
	       "{tooltip=Only packets of these processes (comma-separated PIDs)}"
	       "{validation=^[0-9, ]*$}\n");
	printf("arg {number=2}{call=--comm}{display=Process name}{type=string}"
	       "{tooltip=Only packets of processes with this name (comm, at most 15 characters)}\n");
	printf("arg {number=3}{call=--container}{display=Container}{type=string}"
	       "{tooltip=Only packets of this container (name or id)}\n");
	printf("arg {number=4}{call=--snaplen}{display=Snapshot length}{type=unsigned}"
	       "{default=262144}{range=0,262144}{tooltip=Bytes kept per packet (0: 262144)}\n");
	printf("arg {number=5}{call=--full-comments}{display=Full comment on every packet}"
	       "{type=boolflag}{default=false}"
	       "{tooltip=Otherwise packets after the first of a flow carry a short comment}\n");
}

/* Wireshark checks a capture filter by running the extcap with only the filter: exit 0 when
 * libpcap compiles it for Ethernet, else the reason on stdout. */
static int validate_filter(const char *filter)
{
	pcap_t *pc = pcap_open_dead(DLT_EN10MB, 262144);
	struct bpf_program prog;
	int rc = 0;

	if (!pc) {
		printf("out of memory\n");
		return 1;
	}
	if (pcap_compile(pc, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		printf("%s\n", pcap_geterr(pc));
		rc = 1;
	} else {
		pcap_freecode(&prog);
	}
	pcap_close(pc);
	return rc;
}

static void push(char **v, int *n, const char *s)
{
	if (*n < MAX_ARGS - 1)
		v[(*n)++] = xstrdup(s);
}

/* The procap command line of a capture request: each packet written to the FIFO at once (-U),
 * Wireshark shows them as they come; no statistics (--no-stats), and main() marks the options as
 * extcap's, so no "listening on" line: Wireshark reports any stderr line as an error. */
static void capture_argv(const struct extcap_args *a, const char *argv0, int *pargc,
			 char ***pargv)
{
	char **v = xcalloc(MAX_ARGS, sizeof(*v));
	int n = 0;

	push(v, &n, argv0);
	push(v, &n, "-i");
	push(v, &n, a->dev && *a->dev ? a->dev : "any");
	push(v, &n, "-w");
	push(v, &n, a->fifo);
	push(v, &n, "-U");
	push(v, &n, "--no-stats");
	if (a->snaplen && *a->snaplen) {
		push(v, &n, "-s");
		push(v, &n, a->snaplen);
	}
	if (a->pids) {
		char *list = xstrdup(a->pids), *save = NULL;
		for (char *t = strtok_r(list, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
			push(v, &n, "--pid");
			push(v, &n, t);
		}
		free(list);
	}
	if (a->comm && *a->comm) {
		push(v, &n, "--comm");
		push(v, &n, a->comm);
	}
	if (a->container && *a->container) {
		push(v, &n, "--container");
		push(v, &n, a->container);
	}
	if (a->full_comments)
		push(v, &n, "--full-comments");
	if (a->filter && *a->filter)
		push(v, &n, a->filter);	/* one argument: procap joins the expression's words */
	v[n] = NULL;
	*pargc = n;
	*pargv = v;
}

int extcap_main(int argc, char **argv, int *pargc, char ***pargv)
{
	struct extcap_args a;

	if (parse(argc, argv, &a))
		return 1;
	if (a.interfaces) {
		print_interfaces();
		return 0;
	}
	if (a.dlts) {
		print_dlts();
		return 0;
	}
	if (a.config) {
		print_config();
		return 0;
	}
	if (a.capture) {
		capture_argv(&a, argv[0], pargc, pargv);
		return -1;
	}
	if (a.filter)
		return validate_filter(a.filter);
	pr_warn("extcap: nothing asked (--extcap-interfaces, --extcap-dlts, --extcap-config or "
		"--capture)\n");
	return 1;
}
