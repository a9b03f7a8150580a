// SPDX-License-Identifier: BSD-3-Clause
/* procap: packet capture that knows which process sent or received every packet.
 * main() parses options, installs signal handlers and picks replay or live capture; it is the
 * only place that chooses the exit code. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caps.h"
#include "extcap.h"
#include "filter.h"
#include "filter_file.h"
#include "opts.h"
#include "run.h"
#include "util.h"

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void on_usr1(int sig)
{
	(void)sig;
	stats_requested = 1;
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	/* A closed stdout pipe must not kill procap before it closes its files: writes then fail
	 * with EPIPE, which the sinks turn into a clean stop. */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

int main(int argc, char **argv)
{
	struct options o;
	bool extcap = extcap_requested(argc, argv);
	int rc;

	/* Wireshark's extcap calls: queries answered there, a capture becomes procap's options */
	if (extcap && (rc = extcap_main(argc, argv, &argc, &argv)) >= 0)
		return rc;
	rc = opts_parse(&o, argc, argv);
	o.extcap = extcap;

	if (rc < 0)
		return 0;
	if (rc > 0)
		return 1;
	if (o.filter_file && filter_file_read(o.filter_file, &o.filter))
		return 1;
	if (o.list_tstamp_types || o.list_linktypes) {	/* -J, -L: tcpdump's listings */
		free(o.filter);
		return opts_tcpdump_list(&o);
	}
	if (o.dump_filter) {	/* -d: print the classic and eBPF programs, no capture */
		rc = filter_dump_main(&o);
		free(o.filter);
		return rc;
	}
	verbose_level = o.vflag;
	install_signals();
	if (o.line_buffered)
		setvbuf(stdout, NULL, _IOLBF, 0);

	if (o.list_ifaces)
		rc = live_list_interfaces();
	else if (o.read_file)
		rc = replay_run(&o);
	else
		rc = caps_require_live() ? 1 : live_run(&o);
	free(o.filter);
	return rc;
}
