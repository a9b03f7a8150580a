// SPDX-License-Identifier: BSD-3-Clause
/* Minimal carrier for the differential filter test (tests/bpf/test_filter_diff.c): each program
 * returns procap_filter()'s verdict (bytes to keep, 0 = drop) so BPF_PROG_TEST_RUN's retval is
 * the spliced filter's result. Same stub and splice path as bpf/capture.bpf.c. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "filter_stub.bpf.h"

SEC("tc")
int filter_test_tc(struct __sk_buff *skb)
{
	return procap_filter(skb, 0);
}

/* frags: BPF_PROG_TEST_RUN then puts what does not fit one page into fragments, which only
 * bpf_xdp_load_bytes() can read: the non-linear case. */
SEC("xdp.frags")
int filter_test_xdp(struct xdp_md *ctx)
{
	return procap_filter(ctx, 1);
}

/* L3 devices (tun, wireguard): packets start at the IP header; the body runs the expression
 * compiled for raw IP. */
SEC("tc")
int filter_test_tc_l3(struct __sk_buff *skb)
{
	return procap_filter(skb, PROCAP_FILTER_L3);
}

SEC("xdp.frags")
int filter_test_xdp_l3(struct xdp_md *ctx)
{
	return procap_filter(ctx, PROCAP_FILTER_XDP | PROCAP_FILTER_L3);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
