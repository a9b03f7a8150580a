// SPDX-License-Identifier: BSD-3-Clause
/* The classic -> eBPF translator refuses what it must (a program the kernel verifier would
 * reject or that libpcap's interpreter would not run), with a one-line reason, for both program
 * types; and what it accepts runs in tests/fuzz/ebpf_interp.h's verifier-like interpreter.
 * Hand-made classic programs (struct sock_filter, linux/filter.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include <linux/filter.h>

#include "check.h"
#include "filter_int.h"
#include "fuzz/ebpf_interp.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void refused(const char *name, const struct sock_filter *c, size_t n)
{
	for (int ctx = FILTER_CTX_SKB; ctx <= FILTER_CTX_XDP; ctx++) {
		struct bpf_insn *ins = NULL;
		size_t cnt = 0;
		char err[256] = "", label[128];
		int rc = filter_xlate(c, n, ctx, &ins, &cnt, err, sizeof(err));

		snprintf(label, sizeof(label), "xlate refuses %s (%s)", name, ctx ? "XDP" : "TC");
		CHECKF(rc == -EINVAL && err[0] && !strchr(err, '\n'), label, "rc %d, err '%s'", rc,
		       err);
		free(ins);
	}
}

static void accepted(const char *name, const struct sock_filter *c, size_t n, uint8_t *pkt,
		     uint32_t len, uint32_t want)
{
	for (int ctx = FILTER_CTX_SKB; ctx <= FILTER_CTX_XDP; ctx++) {
		static struct ebpf_machine m;
		struct bpf_insn *ins = NULL;
		size_t cnt = 0;
		uint64_t ret = 0;
		char err[256] = "", label[128];

		snprintf(label, sizeof(label), "xlate accepts %s (%s)", name, ctx ? "XDP" : "TC");
		if (!CHECKF(!filter_xlate(c, n, ctx, &ins, &cnt, err, sizeof(err)), label,
			    "refused: %s", err))
			continue;
		snprintf(label, sizeof(label), "xlate runs %s (%s)", name, ctx ? "XDP" : "TC");
		memset(&m, 0, sizeof(m));
		m.pkt = pkt;
		m.len = len;
		m.xdp = ctx == FILTER_CTX_XDP;
		int rc = ebpf_run(&m, ins, cnt, &ret);
		CHECKF(rc == EBPF_OK && ret == want, label, "rc %d (%s), r0 %llu, want %u", rc, m.why,
		       (unsigned long long)ret, want);
		free(ins);
	}
}

int main(void)
{
	uint8_t pkt[64] = { [12] = 0x08, [13] = 0x00, [14] = 0x45, [23] = 17 };

	refused("an empty program", NULL, 0);
	struct sock_filter beyond[] = {
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 5, 0),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	refused("a jump beyond the end", beyond, N(beyond));
	struct sock_filter falls_off[] = { BPF_STMT(BPF_LD | BPF_IMM, 1) };
	refused("a path falling off the end", falls_off, N(falls_off));
	struct sock_filter mem16[] = { BPF_STMT(BPF_ST, 16), BPF_STMT(BPF_RET | BPF_K, 1) };
	refused("scratch memory M[16]", mem16, N(mem16));
	struct sock_filter ldmem99[] = { BPF_STMT(BPF_LDX | BPF_MEM, 99), BPF_STMT(BPF_RET | BPF_K, 1) };
	refused("a load from M[99]", ldmem99, N(ldmem99));
	struct sock_filter div0[] = {
		BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0), BPF_STMT(BPF_RET | BPF_A, 0),
	};
	refused("division by constant zero", div0, N(div0));
	struct sock_filter mod0[] = {
		BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, 0), BPF_STMT(BPF_RET | BPF_A, 0),
	};
	refused("modulo by constant zero", mod0, N(mod0));
	/* bpf_validate() accepts this, bpf_filter() returns 0x0d000000 (x86 masks the count to
	 * 24; undefined in C), the kernel's classic checker refuses it (fuzz_filter finding) */
	struct sock_filter lsh56[] = {
		BPF_STMT(BPF_LD | BPF_IMM, 0x0d), BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 56),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	refused("left shift by constant 56", lsh56, N(lsh56));
	struct sock_filter rsh32[] = {
		BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 32), BPF_STMT(BPF_RET | BPF_A, 0),
	};
	refused("right shift by constant 32", rsh32, N(rsh32));
	struct sock_filter lsh31[] = {
		BPF_STMT(BPF_LD | BPF_IMM, 1), BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 31),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	accepted("left shift by constant 31", lsh31, N(lsh31), pkt, sizeof(pkt), 0x80000000u);
	struct sock_filter retx[] = { BPF_STMT(BPF_RET | BPF_X, 0) };
	refused("ret x (not classic BPF)", retx, N(retx));
	struct sock_filter misc[] = { BPF_STMT(BPF_MISC | 0x40, 0), BPF_STMT(BPF_RET | BPF_K, 1) };
	refused("an unknown misc opcode", misc, N(misc));
	struct sock_filter jlt[] = {
		BPF_JUMP(BPF_JMP | 0xa0 | BPF_K, 1, 0, 0), BPF_STMT(BPF_RET | BPF_K, 1),
	};
	refused("a jump opcode classic BPF lacks (0xa5)", jlt, N(jlt));
	struct sock_filter ldmsh_w[] = { BPF_STMT(BPF_LD | BPF_MSH | BPF_B, 14),
					 BPF_STMT(BPF_RET | BPF_A, 0) };
	refused("ld msh (only ldx has it)", ldmsh_w, N(ldmsh_w));

	/* opcodes with bits classic BPF does not define (code is 16 bits, every defined opcode
	 * fits in 8; "ja" has no X form): the kernel's classic checker and libpcap's interpreter
	 * refuse them, and the translator's parts disagree about them (fuzz_filter findings) */
	struct sock_filter ja_high[] = {
		BPF_STMT(BPF_LD | BPF_IMM, 1), { 0x405, 0, 0, (uint32_t)-2 }, BPF_STMT(BPF_RET | BPF_K, 1),
	};
	refused("ja with undefined high bits (0x405)", ja_high, N(ja_high));
	struct sock_filter ja_x[] = {
		BPF_STMT(BPF_LD | BPF_IMM, 1), { BPF_JMP | BPF_JA | BPF_X, 0, 0, (uint32_t)-2 },
		BPF_STMT(BPF_RET | BPF_K, 1),
	};
	refused("ja with the X bit (0x0d)", ja_x, N(ja_x));
	struct sock_filter ret_high[] = { { 0xc106, 0, 0, 1 } };
	refused("ret with undefined high bits (0xc106)", ret_high, N(ret_high));

	/* a backward jump taken forever: bounded by FILTER_LOOP_MAX, then "drop" */
	struct sock_filter loop[] = {
		BPF_STMT(BPF_LD | BPF_IMM, 1),
		BPF_JUMP(BPF_JMP | BPF_JA, (uint32_t)-2, 0, 0),
		BPF_STMT(BPF_RET | BPF_K, 1),
	};
	accepted("an endless backward jump (returns 0)", loop, N(loop), pkt, sizeof(pkt), 0);
	/* the usual shape: ether proto ip and ip proto udp, snaplen 65535 */
	struct sock_filter udp[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x0800, 0, 3),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 23),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 17, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 65535),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	accepted("ip and udp on a UDP frame", udp, N(udp), pkt, sizeof(pkt), 65535);
	accepted("ip and udp on a 20-byte frame (load past the end: 0)", udp, N(udp), pkt, 20, 0);
	/* division by X = 0 at run time returns 0, as bpf_filter() does */
	struct sock_filter divx[] = {
		BPF_STMT(BPF_LD | BPF_IMM, 100), BPF_STMT(BPF_LDX | BPF_IMM, 0),
		BPF_STMT(BPF_ALU | BPF_DIV | BPF_X, 0), BPF_STMT(BPF_RET | BPF_K, 7),
	};
	accepted("division by X = 0 (returns 0)", divx, N(divx), pkt, sizeof(pkt), 0);
	return CHECK_EXIT();
}
