// SPDX-License-Identifier: BSD-3-Clause
/* A classic BPF interpreter with a step budget, for `-r FILE EXPR`. It gives the verdicts of
 * libpcap's bpf_filter() (the reference tcpdump uses), except that a program still running
 * after CBPF_MAX_STEPS instructions rejects the packet: libpcap's interpreter has no bound, and
 * the loop `protochain` compiles to never ends on some crafted IPv6 header chains. The eBPF
 * translation of live filters gives up the same way (FILTER_LOOP_MAX). */
#ifndef PROCAP_CBPF_H
#define PROCAP_CBPF_H

#include <stdbool.h>
#include <stdint.h>

#define CBPF_MAX_STEPS 65536

/* Runs prog[0..n) on pkt (caplen bytes captured of wirelen). prog is an array of classic
 * instructions: libpcap's struct bpf_insn or linux/filter.h's struct sock_filter, which have the
 * same layout (a void pointer so that callers can include either header, not both). Returns the
 * program's return value (0 = reject); *looped, when not NULL, says whether the step budget ran
 * out. */
uint32_t cbpf_run(const void *prog, uint32_t n, const uint8_t *pkt, uint32_t wirelen,
		  uint32_t caplen, bool *looped);

#endif
