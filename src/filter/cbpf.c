// SPDX-License-Identifier: BSD-3-Clause
/* Bounded classic BPF interpreter (see cbpf.h). Semantics follow libpcap 1.10's bpf_filter():
 * loads outside the captured bytes and division by a zero X return 0; shifts by 32 or more give
 * 0; a jump or fall-through outside the program returns 0; `ja` offsets are signed (protochain
 * jumps back). */
#include <linux/filter.h>	/* struct sock_filter, BPF_* opcodes */
#include <stddef.h>

#include "cbpf.h"

static bool fits(uint32_t off, uint32_t size, uint32_t caplen)
{
	return off <= caplen && size <= caplen - off;
}

static uint32_t load(const uint8_t *p, uint32_t off, uint32_t size)
{
	uint32_t v = 0;
	for (uint32_t i = 0; i < size; i++)
		v = v << 8 | p[off + i];
	return v;
}

static uint32_t alu(uint16_t op, uint32_t a, uint32_t v, bool *bad)
{
	switch (op) {
	case BPF_ADD: return a + v;
	case BPF_SUB: return a - v;
	case BPF_MUL: return a * v;
	case BPF_DIV:
		if (!v)
			*bad = true;
		return v ? a / v : 0;
	case BPF_MOD:
		if (!v)
			*bad = true;
		return v ? a % v : 0;
	case BPF_AND: return a & v;
	case BPF_OR: return a | v;
	case BPF_XOR: return a ^ v;
	case BPF_LSH: return v < 32 ? a << v : 0;
	case BPF_RSH: return v < 32 ? a >> v : 0;
	case BPF_NEG: return (uint32_t)-(int64_t)a;
	default:
		*bad = true;
		return 0;
	}
}

uint32_t cbpf_run(const void *insns, uint32_t n, const uint8_t *pkt, uint32_t wirelen,
		  uint32_t caplen, bool *looped)
{
	const struct sock_filter *prog = insns;
	uint32_t A = 0, X = 0, M[BPF_MEMWORDS] = { 0 };
	int64_t pc = 0;

	if (looped)
		*looped = false;
	for (uint32_t steps = 0; steps < CBPF_MAX_STEPS; steps++) {
		if (pc < 0 || pc >= (int64_t)n)
			return 0;
		const struct sock_filter *in = &prog[pc++];
		uint32_t k = in->k, size, off;
		bool bad = false;

		switch (in->code) {
		case BPF_RET | BPF_K: return k;
		case BPF_RET | BPF_A: return A;
		case BPF_LD | BPF_W | BPF_ABS:
		case BPF_LD | BPF_H | BPF_ABS:
		case BPF_LD | BPF_B | BPF_ABS:
		case BPF_LD | BPF_W | BPF_IND:
		case BPF_LD | BPF_H | BPF_IND:
		case BPF_LD | BPF_B | BPF_IND:
			size = BPF_SIZE(in->code) == BPF_W ? 4 : BPF_SIZE(in->code) == BPF_H ? 2 : 1;
			off = k;
			if (BPF_MODE(in->code) == BPF_IND) {
				if (X > caplen || k > caplen - X)	/* X + k would pass the end */
					return 0;
				off = X + k;
			}
			if (!fits(off, size, caplen))
				return 0;
			A = load(pkt, off, size);
			break;
		case BPF_LD | BPF_W | BPF_LEN: A = wirelen; break;
		case BPF_LDX | BPF_W | BPF_LEN: X = wirelen; break;
		case BPF_LD | BPF_IMM: A = k; break;
		case BPF_LDX | BPF_IMM: X = k; break;
		case BPF_LD | BPF_MEM:
			if (k >= BPF_MEMWORDS)
				return 0;
			A = M[k];
			break;
		case BPF_LDX | BPF_MEM:
			if (k >= BPF_MEMWORDS)
				return 0;
			X = M[k];
			break;
		case BPF_LDX | BPF_MSH | BPF_B:
			if (k >= caplen)
				return 0;
			X = (uint32_t)(pkt[k] & 0xf) << 2;
			break;
		case BPF_ST:
			if (k >= BPF_MEMWORDS)
				return 0;
			M[k] = A;
			break;
		case BPF_STX:
			if (k >= BPF_MEMWORDS)
				return 0;
			M[k] = X;
			break;
		case BPF_JMP | BPF_JA: pc += (int32_t)k; break;
		case BPF_JMP | BPF_JGT | BPF_K: pc += A > k ? in->jt : in->jf; break;
		case BPF_JMP | BPF_JGE | BPF_K: pc += A >= k ? in->jt : in->jf; break;
		case BPF_JMP | BPF_JEQ | BPF_K: pc += A == k ? in->jt : in->jf; break;
		case BPF_JMP | BPF_JSET | BPF_K: pc += A & k ? in->jt : in->jf; break;
		case BPF_JMP | BPF_JGT | BPF_X: pc += A > X ? in->jt : in->jf; break;
		case BPF_JMP | BPF_JGE | BPF_X: pc += A >= X ? in->jt : in->jf; break;
		case BPF_JMP | BPF_JEQ | BPF_X: pc += A == X ? in->jt : in->jf; break;
		case BPF_JMP | BPF_JSET | BPF_X: pc += A & X ? in->jt : in->jf; break;
		case BPF_MISC | BPF_TAX: X = A; break;
		case BPF_MISC | BPF_TXA: A = X; break;
		default:
			if (BPF_CLASS(in->code) != BPF_ALU)
				return 0;	/* not an instruction bpf_filter() knows */
			A = alu(BPF_OP(in->code), A, BPF_SRC(in->code) == BPF_X ? X : k, &bad);
			if (bad)
				return 0;
		}
	}
	if (looped)
		*looped = true;
	return 0;
}
