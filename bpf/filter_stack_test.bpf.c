// SPDX-License-Identifier: BSD-3-Clause
/* For tests/bpf/test_filter_splice.c: a caller with a 480-byte stack frame. With the stub's own
 * body it verifies; with a spliced filter (72 more bytes) the call chain exceeds the verifier's
 * 512-byte stack limit, a real verifier rejection whose report procap must pass on. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "filter_stub.bpf.h"

SEC("tc")
int filter_stack_tc(struct __sk_buff *skb)
{
	__u8 buf[480];

	if (bpf_skb_load_bytes(skb, 0, buf, sizeof(buf)))
		return 0;
	return procap_filter(skb, 0) + buf[479];
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
