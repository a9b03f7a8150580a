// SPDX-License-Identifier: BSD-3-Clause
/* Interruptible filter compilation (see filter_compile.h). */
#include <signal.h>
#include <string.h>

#include "filter_compile.h"

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };
#define N_STOP_SIGNALS	(sizeof(stop_signals) / sizeof(stop_signals[0]))

int filter_pcap_compile(pcap_t *p, struct bpf_program *prog, const char *expr)
{
	struct sigaction dfl, old[N_STOP_SIGNALS];
	int rc;

	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	for (size_t i = 0; i < N_STOP_SIGNALS; i++)
		sigaction(stop_signals[i], &dfl, &old[i]);
	rc = pcap_compile(p, prog, expr, 1, PCAP_NETMASK_UNKNOWN);
	for (size_t i = 0; i < N_STOP_SIGNALS; i++)
		sigaction(stop_signals[i], &old[i], NULL);
	return rc;
}
