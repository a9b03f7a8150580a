// SPDX-License-Identifier: BSD-3-Clause
/* Test-traffic helper, not part of procap: a TC egress program that drops about one in twelve
 * full-sized TCP segments, so real TCP flows show retransmissions and SACK blocks (this kernel
 * has no sch_netem). Used only by testdata/golden/gen/gen.sh. */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int lossy(struct __sk_buff *skb)
{
	if (skb->len > 1000 && bpf_get_prandom_u32() % 12 == 0)
		return TC_ACT_SHOT;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
