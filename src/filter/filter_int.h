// SPDX-License-Identifier: BSD-3-Clause
/* Internals shared by filter.c (libpcap side), filter_xlate.c (classic -> eBPF), filter_disasm.c
 * (-d) and filter_splice.c (libbpf side). Classic programs travel as struct sock_filter
 * (linux/filter.h: same layout as libpcap's struct bpf_insn), so no file needs both pcap.h's and
 * linux/bpf.h's struct bpf_insn except filter.c, which renames pcap's. */
#ifndef PROCAP_FILTER_INT_H
#define PROCAP_FILTER_INT_H

#include <stddef.h>
#include <stdio.h>

#include "filter.h"

struct sock_filter;
struct bpf_insn;

/* Iterations a classic loop may take before the filter gives up and returns 0 (drop). libpcap
 * jumps backwards only in "protochain" (walking IPv6/IPv4 extension headers, one header per
 * iteration); the eBPF verifier needs a provable bound, libpcap's interpreter has none. The
 * translator unrolls such loops this many times. */
#define FILTER_LOOP_MAX		32

/* Bit of procap_filter()'s second argument: the packet starts at the IP header (L3 device).
 * Same value as PROCAP_FILTER_L3 in bpf/filter_stub.bpf.h. */
#define FILTER_ARG_L3		2

/* Stack frame of the translated body (offsets from r10). */
#define FILTER_STACK_MEM	(-64)	/* M[0..15], 4 bytes each */
#define FILTER_STACK_BUF	(-72)	/* 8-byte bounce buffer for packet loads */

/* Translate the classic program C[0..n) for CTX. On success *out (malloc'ed) holds *cnt eBPF
 * instructions forming one function: r1 = ctx on entry, r0 = bytes to keep (0 = drop). */
int filter_xlate(const struct sock_filter *c, size_t n, enum filter_ctx ctx, struct bpf_insn **out,
		 size_t *cnt, char *err, size_t errlen);

/* One line per instruction, "(NNN) text", in bpftool's C-like syntax. */
void filter_disasm(FILE *out, const struct bpf_insn *insns, size_t cnt);

#endif
