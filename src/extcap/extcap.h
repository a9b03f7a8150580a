// SPDX-License-Identifier: BSD-3-Clause
/* Wireshark's extcap protocol (doc/extcap.adoc in Wireshark; "extcap - The external capture
 * interface"): Wireshark and tshark run procap from their extcap folder with --extcap-* arguments
 * to list its interface ("procap"), its link type and its settings, and with --capture --fifo
 * PATH to capture into a pipe they read. procap answers the queries itself and turns a capture
 * request into its own command line (-i, -w FIFO, -U, -s, --pid, --comm, --container, filter). */
#ifndef PROCAP_EXTCAP_H
#define PROCAP_EXTCAP_H

#include <stdbool.h>

/* Whether argv is an extcap call (any argument starting with --extcap- or --capture). */
bool extcap_requested(int argc, char **argv);

/* Handles an extcap call. Queries (interfaces, DLTs, config, filter validation) are answered
 * on stdout and return the exit code (>= 0). A capture request returns -1 and sets *pargc /
 * *pargv to the equivalent procap command line (allocated; valid until exit). Bad arguments:
 * a one-line message, exit code 1. */
int extcap_main(int argc, char **argv, int *pargc, char ***pargv);

#endif
