// SPDX-License-Identifier: BSD-3-Clause
/* pcap_compile() that a signal can stop. libpcap's optimizer cannot be interrupted and can run
 * for minutes on a filter of thousands of terms (3,000 ORed hosts: 19 minutes, 3.5 GB), while
 * procap's own handlers only note SIGINT/SIGTERM/SIGHUP for the capture loop. */
#ifndef PROCAP_FILTER_COMPILE_H
#define PROCAP_FILTER_COMPILE_H

#include <pcap/pcap.h>

/* pcap_compile(p, prog, expr, optimize 1, netmask unknown) with SIGINT, SIGTERM and SIGHUP at
 * their default action while it runs: they end procap at once, as they would tcpdump. Callers
 * compile before anything is written or attached that would need closing (a `-- CMD` child
 * dies with procap and its cgroup is removed by the keeper, cmd.h). Returns pcap_compile()'s
 * result. */
int filter_pcap_compile(pcap_t *p, struct bpf_program *prog, const char *expr);

#endif
