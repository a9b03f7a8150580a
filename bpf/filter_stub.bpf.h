// SPDX-License-Identifier: BSD-3-Clause
/* The pcap filter hook of the capture programs (owned by the filter engineer, src/filter*.c).
 *
 * Contract: capture programs call `snap = procap_filter(ctx, flags)` before any ring
 * reservation. ctx is the program's context (struct __sk_buff * at TC, struct xdp_md * at XDP;
 * packet data starts at the link header, or at the IP header on L3 devices). flags:
 * PROCAP_FILTER_XDP (informational) | PROCAP_FILTER_L3 when the packet starts at the IP header
 * (the body then runs the expression compiled for raw IP, as tcpdump on a tun device would; 0 or
 * 1 alone keep the old "is_xdp" meaning and the Ethernet program). The result is 0
 * for "no match" or the number of bytes to keep (classic BPF's "ret #k", 262144 for tcpdump's
 * default); the capture clamps it to its snaplen.
 *
 * At load time src/filter_splice.c finds this function in each program's final instructions
 * (through its BTF func_info entry, by name) and replaces its body with the translated pcap
 * expression (bpf_program__set_insns from a libbpf prog_prepare_load_fn), chosen by the
 * program's type (TC or XDP). Without a filter the body below runs and accepts every packet.
 *
 * Rules for callers: call it as a plain subprogram (it uses 72 bytes of its own stack,
 * which counts towards the 512-byte limit of the call chain), pass ctx unmodified. */
#ifndef PROCAP_FILTER_STUB_BPF_H
#define PROCAP_FILTER_STUB_BPF_H

#define PROCAP_FILTER_XDP	1
#define PROCAP_FILTER_L3	2	/* = FILTER_ARG_L3 in src/filter_int.h */

/* Read through a volatile so clang cannot fold the stub's result into its callers. */
const volatile __u32 filter_accept_len = 262144;

/* "used" makes the function's address escape, so clang's interprocedural constant propagation
 * cannot fold a flags value common to all call sites into the body and then stop passing r2. */
static __noinline __attribute__((used)) __u32 procap_filter(void *ctx, __u32 flags)
{
	/* The spliced body reads ctx (r1) and flags (r2): keep both arguments alive, or clang's
	 * dead-argument elimination would drop them from the static function and its callers. */
	asm volatile("" : : "r"(ctx), "r"(flags));
	return filter_accept_len;
}

#endif
